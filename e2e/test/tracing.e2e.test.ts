import { randomUUID } from 'node:crypto';
import { type Agent, createAgent } from '@wa-broker/agent-sdk';
import { eventually } from '@wa-broker/infra/poll';
import { createLogger } from '@wa-broker/shared/logger';
import { startTracing, type Tracing } from '@wa-broker/shared/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ancestry, type ReceivedSpan, startOtlpReceiver } from '../src/otlp-receiver.js';
import { Phone } from '../src/phone.js';
import { type System, startSystem } from '../src/system.js';

// Issue 21 §2: one message yields one connected trace from the webhook POST to the Graph API send — webhook →
// router (inbound) → the agent (SDK, this process) → router (outbound) → Graph API — with W3C trace context in
// the Kafka record headers between them. Every process exports OTLP to a stand-in collector.
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let system: System;
let tracing: Tracing;
let agent: Agent;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' };
  system = await startSystem({ agentBackend: false, webhookEnv: otel, routerEnv: otel });
  process.env.OTEL_BSP_SCHEDULE_DELAY = '200';
  tracing = startTracing({ service: 'e2e-agent', endpoint: receiver.url });
  agent = createAgent({
    agent: system.agentName,
    brokers: system.kafkaBrokers,
    auth: { mechanism: 'scram-sha-512', ...system.kafkaCredentials.agent },
    topics: system.agentTopics,
    logger: createLogger({ service: 'e2e-agent', level: 'silent' }),
  });
  agent.on('text', (message, { reply }) => reply.text(`traced: ${message.text}`));
  await agent.start();
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await tracing?.shutdown();
  await system?.stop();
  await receiver?.stop();
}, 60_000);

describe('one trace per message', () => {
  it('connects the webhook POST, the router, the agent, the Graph API send of its reply and that reply’s status', async () => {
    const phone = new Phone(system.simulator.url);
    const waId = `1555${Math.floor(Math.random() * 1e7)}`;
    await phone.say(waId, 'hi');
    await phone.choose(waId, (title) => title === system.agentName);
    const text = `trace ${randomUUID().slice(0, 8)}`;
    await phone.say(waId, text);
    await phone.waitFor(
      waId,
      (entry) => JSON.stringify(entry.content).includes(`traced: ${text}`),
      'the reply',
    );

    const hops = ['graph.send', 'router.outbound', 'agent.handle', 'router.inbound', 'webhook.delivery'];
    const chain = await eventually(
      () =>
        receiver.spans
          .filter((span) => span.name === 'graph.send')
          .map((span) => ancestry(receiver.spans, span))
          .find((candidate) => candidate.map((span) => span.name).join(' ') === hops.join(' ')),
      {
        what: 'a graph.send whose parents lead to a webhook delivery',
        timeoutMs: 20_000,
        intervalMs: 200,
        detail: () => JSON.stringify(receiver.spans.map((s) => [s.service, s.name, s.traceId.slice(0, 6)])),
      },
    );
    const [send, outbound, handle, inbound, delivery] = chain as ReceivedSpan[];
    expect(new Set(chain.map((span) => span.traceId)).size).toBe(1);
    expect(chain.map((span) => span.service)).toEqual(['router', 'router', 'e2e-agent', 'router', 'webhook']);
    // Attributes name the wamid and the user's pseudonym, never the text.
    expect(inbound?.attributes['wa.wamid']).toMatch(/^wamid\./);
    expect(inbound?.attributes['wa.user']).toMatch(/^u_/);
    expect(send?.attributes['wa.wamid']).toMatch(/^wamid\./);
    expect(delivery?.attributes['wa.wamids']).toContain(inbound?.attributes['wa.wamid']);
    expect(JSON.stringify(receiver.spans)).not.toContain(text);
    expect([outbound, handle].every(Boolean)).toBe(true);

    // The reply's statuses come back to the agent in the same trace, under the hop that sent the reply.
    const statusChain = await eventually(
      () =>
        receiver.spans
          .filter((span) => span.name === 'agent.handle' && span.attributes['wa.event'] === 'status')
          .map((span) => ancestry(receiver.spans, span))
          .find((candidate) => candidate.some((span) => span.spanId === outbound?.spanId)),
      {
        what: "a status's agent span under the reply's outbound hop",
        timeoutMs: 20_000,
        intervalMs: 200,
        detail: () =>
          JSON.stringify(receiver.spans.map((s) => [s.service, s.name, s.attributes['wa.event']])),
      },
    );
    expect(statusChain.at(-1)?.spanId).toBe(delivery?.spanId);
  }, 60_000);
});
