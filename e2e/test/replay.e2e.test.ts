import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { describe, expect, it } from 'vitest';
import { isAbout } from '../src/agent-bus.js';
import { isE2eAgent, Phone } from '../src/phone.js';
import { readKey, runReplay, wipeKeys } from '../src/replay-tools.js';
import { phoneNumberId } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

const { system, phone, bus } = systemForFile({ agentBackend: false });
const redisUrl = testStackEnv().REDIS_URL;

const isBusiness = (type: string) => type !== 'reaction';

describe('pnpm replay --rebuild-state after the router lost its Redis', () => {
  it('rebuilds the session and the window, and sends nothing twice to the user or the agent', async () => {
    const waId = '15557100001';
    const from = new Date(Date.now() - 5_000).toISOString();
    const prefix = `${system.prefix}:`;
    // A conversation: first message, menu, choice, a second message, an agent reply.
    const hi = await phone.say(waId, 'Hi, where is order 48213?');
    await phone.choose(waId, isE2eAgent);
    const first = await bus.waitForInbound((e) => e.wamid === hi.wamid, 'the first message');
    const secondSaidAt = Date.now();
    const second = await phone.say(waId, 'It was due yesterday');
    const secondAnsweredAt = Date.now();
    await bus.waitForInbound((e) => e.wamid === second.wamid, 'the second message');
    await bus.reply({ waID: waId, message_type: 'text', text: 'It ships today.' });
    await phone.waitFor(waId, (entry) => Phone.text(entry) === 'It ships today.', 'the reply');
    // The router keeps state per conversation: the number written to and the user's key (their BSUID).
    const conversation = conversationKey(phoneNumberId, first.waID);
    const sessionKey = `${prefix}session:${conversation}`;
    const windowKey = `${prefix}window:${conversation}`;
    const sessionBefore = JSON.parse((await readKey(redisUrl, sessionKey)) ?? 'null');
    const windowBefore = JSON.parse((await readKey(redisUrl, windowKey)) ?? 'null');
    expect(sessionBefore).toMatchObject({ state: 'agent' });
    const receivedBefore = (await phone.received(waId)).filter((m) => isBusiness(m.type));
    // Statuses of the replies keep arriving; messages and session events are what a replay could repeat.
    const notStatus = (e: AgentInboundEvent) => isAbout(e, waId) && e.type !== 'status';
    const inboundBefore = bus.inbound.filter(notStatus).length;

    expect(await wipeKeys(redisUrl, prefix)).toBeGreaterThan(0);
    expect(await readKey(redisUrl, sessionKey)).toBeNull();
    const output = await runReplay(
      {
        KAFKA_BROKERS: system.kafkaBrokers.join(','),
        // An operator's tool: run with the cluster's administrator, not a service's principal.
        KAFKA_USERNAME: testKafkaAuth().username,
        KAFKA_PASSWORD: testKafkaAuth().password,
        WEBHOOK_TOPIC: `${system.prefix}-webhook`,
        RAW_EVENT_LOG_TOPIC: `${system.prefix}-raw`,
      },
      ['--from', from, '--rebuild-state'],
    );
    expect(output).toContain('replay finished');

    // Back with the agent, and the window closes 24 h after the last message by Meta's timestamp, as before.
    const session = await pollKey(sessionKey);
    expect(JSON.parse(session)).toEqual(sessionBefore);
    expect(JSON.parse((await readKey(redisUrl, windowKey)) ?? 'null')).toEqual(windowBefore);
    const lastInbound = Date.parse(windowBefore.last_inbound_at);
    expect(lastInbound).toBeGreaterThanOrEqual(Math.floor(secondSaidAt / 1000) * 1000);
    expect(lastInbound).toBeLessThanOrEqual(secondAnsweredAt);

    // The next message goes straight to the agent (no menu); it sits behind the replayed events on the user's
    // partition, so once it arrives every replayed event was handled.
    const after = await phone.say(waId, 'Thanks!');
    const delivered = await bus.waitForInbound(
      (e) => e.wamid === after.wamid,
      'the message after the replay',
    );
    expect(delivered.type).toBe('text');
    await bus.reply({ waID: waId, message_type: 'text', text: 'You are welcome.' });
    await phone.waitFor(
      waId,
      (entry) => Phone.text(entry) === 'You are welcome.',
      'the reply after the replay',
    );

    const receivedAfter = (await phone.received(waId)).filter((m) => isBusiness(m.type));
    expect(receivedAfter.map((m) => m.wamid)).toEqual([
      ...receivedBefore.map((m) => m.wamid),
      receivedAfter.at(-1)?.wamid,
    ]);
    expect(bus.inbound.filter(notStatus)).toHaveLength(inboundBefore + 1);
    const toAgent = bus.inbound.filter((e) => isAbout(e, waId));
    expect(new Set(toAgent.map((e) => e.event_id)).size).toBe(toAgent.length);
  });
});

function pollKey(key: string): Promise<string> {
  return eventually(async () => (await readKey(redisUrl, key)) || undefined, {
    what: `${key} to be rebuilt`,
    timeoutMs: 20_000,
    intervalMs: 200,
    detail: () => system.logs(),
  });
}
