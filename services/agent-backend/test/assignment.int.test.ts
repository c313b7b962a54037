import { eventually } from '@wa-broker/infra/poll';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentStoreMongo } from '../src/adapters/assignment-store.mongo.js';
import { conversationsCollection } from '../src/adapters/conversation-store.mongo.js';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { addOperator, type TestOperator } from './support/team.js';

let harness: Harness;
let urlA: string;
let urlB: string;
const sockets: OperatorClient[] = [];
let ana: TestOperator;
let ben: TestOperator;

beforeAll(async () => {
  harness = await createHarness();
  urlA = (await harness.startInstance()).url;
  urlB = (await harness.startInstance()).url;
  ana = await addOperator(urlA, 'Ana');
  ben = await addOperator(urlA, 'Ben');
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await harness?.close();
});

async function open(url: string, operator: TestOperator) {
  const socket = await connectOperator(url, { cookie: operator.cookie });
  sockets.push(socket);
  await socket.waitForFrame((f) => f.type === 'welcome');
  return socket;
}

async function conversation(waID: string, text = 'Hello?') {
  await harness.produceInbound(inboundText(waID, text));
  await eventually(
    async () => (await harness.db.collection('conversations').countDocuments({ _id: waID } as never)) === 1,
  );
}

const assignmentOf = (waID: string) => (f: ServerFrame) => f.type === 'assignment' && f.wa_id === waID;

describe('assignment', () => {
  it('lets exactly one of many concurrent claims win, across two instances', async () => {
    const waID = '5511970000001';
    await conversation(waID);
    const claimers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const operator = await addOperator(urlA, `Racer${i}`);
        return { operator, socket: await open(i % 2 === 0 ? urlA : urlB, operator) };
      }),
    );
    const answers = await Promise.all(
      claimers.map(({ socket }) => socket.request(frame({ type: 'claim', wa_id: waID }))),
    );
    const won = answers.filter((answer) => answer.type === 'assignment');
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.type === 'error' && a.code === 'already_assigned')).toHaveLength(5);
    const winner = won[0] as Extract<ServerFrame, { type: 'assignment' }>;
    const stored = await harness.db.collection('conversations').findOne({ _id: waID } as never);
    expect(stored?.assignee).toBe(winner.assignee);
  });

  it('lets exactly one conditional update win against the real database', async () => {
    const waID = '5511970000002';
    await conversation(waID);
    const store = assignmentStoreMongo(conversationsCollection(harness.db), harness.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.reassign(waID, null, `op-${i}`, new Date())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('tells the operators of both instances; both list the same assignee; the others cannot release it', async () => {
    const waID = '5511970000003';
    await conversation(waID);
    const [anaOnA, benOnB] = [await open(urlA, ana), await open(urlB, ben)];
    const claimed = await anaOnA.request(frame({ type: 'claim', wa_id: waID }));
    expect(claimed).toMatchObject({
      type: 'assignment',
      assignee: ana.id,
      previous_assignee: null,
      reason: 'claim',
    });
    const seen = await benOnB.waitForFrame(assignmentOf(waID));
    expect(seen).toMatchObject({ assignee: ana.id, by: ana.id });
    for (const [socket] of [[anaOnA], [benOnB]] as const) {
      const list = await socket.request(frame({ type: 'list_conversations', assignee: ana.id }));
      expect(list.type === 'conversations' && list.conversations.map((c) => c.wa_id)).toEqual([waID]);
    }
    const queue = await benOnB.request(frame({ type: 'list_conversations', assignee: 'unassigned' }));
    expect(queue.type === 'conversations' && queue.conversations.some((c) => c.wa_id === waID)).toBe(false);
    expect(await benOnB.request(frame({ type: 'release', wa_id: waID }))).toMatchObject({
      code: 'forbidden',
    });
    expect(await benOnB.request(frame({ type: 'claim', wa_id: waID }))).toMatchObject({
      code: 'already_assigned',
    });
  });

  it('hands over to an enabled colleague and releases to the queue', async () => {
    const waID = '5511970000004';
    await conversation(waID);
    const [anaOnA, benOnB] = [await open(urlA, ana), await open(urlB, ben)];
    await anaOnA.request(frame({ type: 'claim', wa_id: waID }));
    expect(await anaOnA.request(frame({ type: 'hand_over', wa_id: waID, to: 'nobody' }))).toMatchObject({
      code: 'invalid_operator',
    });
    const handed = await anaOnA.request(frame({ type: 'hand_over', wa_id: waID, to: ben.id }));
    expect(handed).toMatchObject({ assignee: ben.id, previous_assignee: ana.id, reason: 'hand_over' });
    await benOnB.waitForFrame(
      (f) => assignmentOf(waID)(f) && f.type === 'assignment' && f.assignee === ben.id,
    );
    const released = await benOnB.request(frame({ type: 'release', wa_id: waID }));
    expect(released).toMatchObject({ assignee: null, previous_assignee: ben.id, reason: 'release' });
    const mine = await anaOnA.request(frame({ type: 'list_conversations', assignee: 'unassigned' }));
    expect(mine.type === 'conversations' && mine.conversations.some((c) => c.wa_id === waID)).toBe(true);
  });

  it('keeps assignments over a restart, and a resolved conversation reopens for the same operator', async () => {
    const waID = '5511970000005';
    await conversation(waID);
    const anaOnB = await open(urlB, ana);
    await anaOnB.request(frame({ type: 'claim', wa_id: waID }));
    const resolved = await anaOnB.request(frame({ type: 'resolve', wa_id: waID }));
    expect(resolved).toMatchObject({ type: 'conversation_status', status: 'resolved', assignee: ana.id });

    const started = await harness.startInstance();
    const benOnC = await open(started.url, ben);
    const list = await benOnC.request(frame({ type: 'list_conversations', status: 'resolved' }));
    expect(list.type === 'conversations' && list.conversations.find((c) => c.wa_id === waID)).toMatchObject({
      assignee: ana.id,
      status: 'resolved',
    });
    await harness.stopInstance(started.backend);

    await harness.produceInbound(inboundText(waID, 'One more thing'));
    const reopened = await anaOnB.waitForFrame(
      (f) => f.type === 'conversation_status' && f.wa_id === waID && f.status === 'open',
    );
    expect(reopened).toMatchObject({ by: null, assignee: ana.id });
  });

  it('shows who is online: online while one socket is open on any instance', async () => {
    const cai = await addOperator(urlA, 'Cai');
    const watcher = await open(urlB, ben);
    const isCai = (online: boolean) => (f: ServerFrame) =>
      f.type === 'operator_changed' && f.operator.id === cai.id && f.operator.online === online;
    const onA = await open(urlA, cai);
    await watcher.waitForFrame(isCai(true));
    const onB = await open(urlB, cai);
    onA.close();
    await onA.closed;
    const members = async () => {
      const answer = await watcher.request(frame({ type: 'list_operators' }));
      return answer.type === 'operators' ? answer.operators.find((m) => m.id === cai.id) : undefined;
    };
    await eventually(async () => (await members())?.online === true);
    expect((await members())?.online).toBe(true); // still on B
    onB.close();
    await watcher.waitForFrame(isCai(false));
    expect((await members())?.online).toBe(false);
  });
});
