import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { agentErrorTopic, agentInTopic, agentOutTopic, agentSlug } from '@wa-broker/shared/topics';
import { afterAll, describe, expect, it } from 'vitest';
import { brokers, inbound, testKafka } from './support/stack.js';

const root = new URL('../', import.meta.url);
const example = fileURLToPath(new URL('examples/echo-agent.ts', root));

describe('the README example', () => {
  let child: ChildProcess | undefined;
  let stack: Awaited<ReturnType<typeof testKafka>> | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.close();
  });

  it('is the file that runs', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const block = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(block).toBe(readFileSync(example, 'utf8'));
  });

  it('answers a text through real topics and stops cleanly on SIGTERM', async () => {
    stack = await testKafka();
    const name = `Readme Echo ${randomUUID().slice(0, 8)}`;
    const slug = agentSlug(name);
    // The example creates its topics itself; the stack deletes them at the end.
    stack.track(agentInTopic(slug), agentOutTopic(slug), agentErrorTopic(slug));
    const running = spawn(process.execPath, ['--import', 'tsx', example], {
      env: {
        ...process.env,
        AGENT_NAME: name,
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_USERNAME: testKafkaAuth().username,
        KAFKA_PASSWORD: testKafkaAuth().password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    let output = '';
    running.stdout?.on('data', (chunk) => (output += chunk));
    running.stderr?.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => running.on('exit', resolve));

    await eventually(() => output.includes('agent started'), {
      timeoutMs: 20_000,
      what: 'the example to start',
    });
    const out = await stack.read<AgentOutboundMessage>(agentOutTopic(slug));
    const windowExpiresAt = new Date(Date.now() + 86_400_000).toISOString();
    await stack.produce(agentInTopic(slug), [
      inbound('text', { text: 'hi', wamid: 'wamid.R1', window_expires_at: windowExpiresAt }),
    ]);
    await eventually(() => out.some((m) => m.text === 'You said: hi'), {
      timeoutMs: 15_000,
      what: 'the echo',
    });
    expect(out.map((m) => m.message_type)).toEqual(['mark_as_read', 'text']);

    running.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('agent stopped');
  });
});
