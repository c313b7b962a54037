import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';

let harness: Harness;
let urlA: string;
let urlB: string;
const operators: OperatorClient[] = [];
const waID = '5511966660001';

beforeAll(async () => {
  harness = await createHarness();
  urlA = (await harness.startInstance()).url;
  urlB = (await harness.startInstance()).url;
  await harness.produceInbound(inboundText(waID, 'Anyone there?'));
  await eventually(
    async () => (await harness.db.collection('conversations').countDocuments({ _id: waID } as never)) === 1,
  );
});

afterAll(async () => {
  for (const operator of operators) operator.close();
  await harness?.close();
});

async function operatorOn(url: string) {
  const operator = await connectOperator(url);
  operators.push(operator);
  return operator;
}

/** The push stream's counter for replies read back from `-out`, by outcome. */
async function relayCount(url: string, outcome: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((row) =>
      row.startsWith(`agent_backend_events_total{stream="push",kind="reply",outcome="${outcome}"}`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('replies across instances', () => {
  it('pushes a reply sent on instance B to the operators on instance A, once', async () => {
    const [onA, sender, watcherOnB] = await Promise.all([
      operatorOn(urlA),
      operatorOn(urlB),
      operatorOn(urlB),
    ]);
    const key = randomUUID();
    const isIt = (f: ServerFrame) => f.type === 'message' && f.message.id === key;
    const answer = await sender.request(
      frame({
        type: 'send_reply',
        wa_id: waID,
        idempotency_key: key,
        reply: { kind: 'text', text: 'On it!' },
      }),
    );
    expect(answer.type).toBe('reply_accepted');

    const pushed = await onA.waitForFrame(isIt);
    expect(pushed).toMatchObject({
      type: 'message',
      message: { id: key, wa_id: waID, direction: 'out', type: 'text', text: 'On it!' },
    });
    // The other operator on B saw it at once, from the request rather than from Kafka.
    await watcherOnB.waitForFrame(isIt);
    // B's push agent has read the record back and skipped it (it originated there): still one push on B.
    await eventually(async () => (await relayCount(urlB, 'already_pushed')) >= 1, { timeoutMs: 15_000 });
    expect(watcherOnB.frames.filter(isIt)).toHaveLength(1);
    expect(sender.frames.filter(isIt)).toHaveLength(1);
    expect(onA.frames.filter(isIt)).toHaveLength(1);
    expect(await relayCount(urlA, 'pushed')).toBe(1);
    expect(await harness.db.collection('messages').countDocuments({ _id: key } as never)).toBe(1);
  });

  it('pushes a resent reply (same key) only once on the other instance', async () => {
    const [onA, sender] = await Promise.all([operatorOn(urlA), operatorOn(urlB)]);
    const key = randomUUID();
    const isIt = (f: ServerFrame) => f.type === 'message' && f.message.id === key;
    const send = frame({
      type: 'send_reply',
      wa_id: waID,
      idempotency_key: key,
      reply: { kind: 'text', text: 'Sent twice' },
    });
    await sender.request(send);
    await onA.waitForFrame(isIt);
    const skippedBefore = await relayCount(urlA, 'already_pushed');
    await sender.request(send); // a retry from a flaky network: a second -out record with the same key
    await eventually(async () => (await relayCount(urlA, 'already_pushed')) > skippedBefore, {
      timeoutMs: 15_000,
    });
    expect(onA.frames.filter(isIt)).toHaveLength(1);
    expect(await harness.db.collection('messages').countDocuments({ _id: key } as never)).toBe(1);
  });
});
