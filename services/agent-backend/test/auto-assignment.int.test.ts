import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, type OperatorClient } from './support/operator-client.js';
import { addOperator } from './support/team.js';

let harness: Harness;
let url: string;
const sockets: OperatorClient[] = [];

beforeAll(async () => {
  harness = await createHarness();
  url = (
    await harness.startInstance({
      config: {
        AUTO_ASSIGN: true,
        AUTO_ASSIGN_CAPACITY: 1,
        OFFLINE_RELEASE_AFTER_MS: 1500,
        PRESENCE_HEARTBEAT_MS: 300,
      },
    })
  ).url;
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await harness?.close();
});

const assigned = (waID: string, reason: string) => (f: ServerFrame) =>
  f.type === 'assignment' && f.wa_id === waID && f.reason === reason;

describe('auto-assignment', () => {
  it('hands new conversations round robin to online operators up to their capacity; an absent one loses them', async () => {
    const [ana, ben] = [await addOperator(url, 'Ana'), await addOperator(url, 'Ben')];
    const benSocket = await connectOperator(url, { cookie: ben.cookie });
    const anaSocket = await connectOperator(url, { cookie: ana.cookie });
    sockets.push(anaSocket, benSocket);
    const watcher = benSocket;
    await watcher.waitForFrame(
      (f) => f.type === 'operator_changed' && f.operator.id === ana.id && f.operator.online,
    );

    await harness.produceInbound(inboundText('5511980000001', 'first'));
    const first = await watcher.waitForFrame(assigned('5511980000001', 'auto'));
    await harness.produceInbound(inboundText('5511980000002', 'second'));
    const second = await watcher.waitForFrame(assigned('5511980000002', 'auto'));
    const owners = [first, second].map((f) => (f.type === 'assignment' ? f.assignee : null));
    expect(new Set(owners)).toEqual(new Set([ana.id, ben.id])); // one each: capacity 1

    await harness.produceInbound(inboundText('5511980000003', 'third'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const third = await harness.db.collection('conversations').findOne({ _id: '5511980000003' } as never);
    expect(third?.assignee ?? null).toBeNull(); // everyone is full: it waits in the queue

    anaSocket.close();
    const anaConversation = owners[0] === ana.id ? '5511980000001' : '5511980000002';
    const back = await watcher.waitForFrame(assigned(anaConversation, 'offline'), 10_000);
    expect(back).toMatchObject({ assignee: null, previous_assignee: ana.id, by: null });
  });
});
