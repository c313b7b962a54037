import type { RunningService } from '@wa-broker/infra/launch';
import { eventually } from '@wa-broker/infra/poll';
import type { OperatorConversation, ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperatorSocket, openOperatorSocket } from '../../src/operator-socket.js';
import { addOperator, type OperatorSession } from '../../src/operators.js';
import { isE2eAgent, Phone } from '../../src/phone.js';
import { type System, startSystem } from '../../src/system.js';

// Issue 20 "done when": assignments survive an agent-backend restart and agree across two instances. Two
// agent-backend processes on one Mongo database and one set of topics; operators claim through both at once,
// then one instance is killed -9 and started again.
let system: System;
let phone: Phone;
const sockets: OperatorSocket[] = [];
const claimed = 5; // claimed by both operators at once before the fault
const users = Array.from({ length: claimed + 1 }, (_, i) => ({
  phone: `1555930${String(i + 1).padStart(4, '0')}`,
  name: `Fault User ${i + 1}`,
}));

beforeAll(async () => {
  system = await startSystem({ agentBackends: 2 });
  phone = new Phone(system.simulator.url);
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await system?.stop();
}, 60_000);

async function socketOn(instance: RunningService, operator: OperatorSession): Promise<OperatorSocket> {
  const socket = await openOperatorSocket(instance.url, operator.cookie);
  sockets.push(socket);
  return socket;
}

/** name → assignee as one instance lists them (only this test's users). */
async function assigneesOn(socket: OperatorSocket): Promise<Record<string, string | null>> {
  const listed = await socket.conversations();
  return Object.fromEntries(
    users.flatMap((user) => {
      const conversation = listed.find((c) => c.name === user.name);
      return conversation ? [[user.name, conversation.assignee]] : [];
    }),
  );
}

function conversationOf(list: OperatorConversation[], name: string): OperatorConversation {
  const conversation = list.find((c) => c.name === name);
  if (!conversation) throw new Error(`no conversation named ${name}`);
  return conversation;
}

const claim = (socket: OperatorSocket, waId: string) => socket.request({ type: 'claim', wa_id: waId });
const isRefusedClaim = (answer: ServerFrame) => answer.type === 'error' && answer.code === 'already_assigned';

describe('assignments across two agent-backend instances', () => {
  it('one winner per concurrent claim, the same assignee everywhere, through a kill -9 and a relaunch', async () => {
    const [instanceA, instanceB] = system.agents as [RunningService, RunningService];
    const admin = system.operatorAdmin;
    const ana = await addOperator(instanceA.url, admin, {
      name: 'Ana Fault',
      email: `ana-${system.runId}@e2e.example.com`,
      password: `ana-${system.runId}-password`,
    });
    const bo = await addOperator(instanceA.url, admin, {
      name: 'Bo Fault',
      email: `bo-${system.runId}@e2e.example.com`,
      password: `bo-${system.runId}-password`,
    });
    // Signed in on A; the session (in the shared database) opens B's socket too.
    const anaOnA = await socketOn(instanceA, ana);
    let boOnB = await socketOn(instanceB, bo);

    // Users write through the simulator and choose the e2e agent.
    await Promise.all(
      users.map(async (user, i) => {
        await phone.act(user.phone, { type: 'text', text: `Order ${i + 1} is late`, name: user.name });
        await phone.choose(user.phone, isE2eAgent);
      }),
    );
    const listed = await eventually(
      async () => {
        const [onA, onB] = await Promise.all([anaOnA.conversations(), boOnB.conversations()]);
        const everyone = (list: OperatorConversation[]) =>
          users.every((u) => list.some((c) => c.name === u.name));
        return everyone(onA) && everyone(onB) ? onA : undefined;
      },
      { what: 'every conversation listed on both instances', timeoutMs: 30_000, intervalMs: 200 },
    );
    // The agent backend's key for each user (their BSUID when the simulator sends one, else the phone).
    const waIds = users.map((user) => conversationOf(listed, user.name).wa_id);
    const nameOf = (waId: string) => users[waIds.indexOf(waId)]?.name ?? waId;
    const [lateWaId] = waIds.slice(claimed) as [string];
    const lateName = users[claimed]?.name as string;

    // Ana on A and Bo on B claim the same conversations at the same moment: exactly one wins each.
    const answers = await Promise.all(
      waIds.slice(0, claimed).map((waId) => Promise.all([claim(anaOnA, waId), claim(boOnB, waId)])),
    );
    const expected: Record<string, string | null> = { [lateName]: null };
    answers.forEach(([onA, onB], i) => {
      const winners = [onA, onB].filter((answer) => answer.type === 'assignment');
      expect(winners, `claims of ${users[i]?.name}: ${JSON.stringify([onA, onB])}`).toHaveLength(1);
      expect([onA, onB].filter(isRefusedClaim)).toHaveLength(1);
      const winner = onA.type === 'assignment' ? ana : bo;
      expect(winners[0]).toMatchObject({
        assignee: winner.operator.id,
        previous_assignee: null,
        reason: 'claim',
      });
      expected[users[i]?.name as string] = winner.operator.id;
    });
    expect(await assigneesOn(anaOnA)).toEqual(expected);
    expect(await assigneesOn(boOnB)).toEqual(expected);
    // Each instance also pushed the other's wins to its operator (the operator-events topic).
    for (const [socket, operator] of [
      [anaOnA, ana],
      [boOnB, bo],
    ] as const)
      await eventually(
        () =>
          waIds
            .slice(0, claimed)
            .every((waId) =>
              socket.frames.some(
                (f) => f.type === 'assignment' && f.wa_id === waId && f.assignee === expected[nameOf(waId)],
              ),
            ),
        { what: `${operator.operator.name} to hear of every claim`, timeoutMs: 10_000 },
      );

    // kill -9 B. While it is down, Ana claims the last conversation on A.
    await system.kill(instanceB);
    boOnB.close();
    const lateClaim = await claim(anaOnA, lateWaId);
    expect(lateClaim).toMatchObject({ type: 'assignment', assignee: ana.operator.id });
    expected[lateName] = ana.operator.id;
    expect(await assigneesOn(anaOnA)).toEqual(expected);

    // B again, same port and environment: the same session cookies open its sockets.
    const relaunchedB = await system.relaunch(instanceB);
    boOnB = await socketOn(relaunchedB, bo);
    const anaOnB = await socketOn(relaunchedB, ana);
    for (const socket of [anaOnA, boOnB, anaOnB]) expect(await assigneesOn(socket)).toEqual(expected);
    // The claim made while B was down holds there: Bo cannot take Ana's conversations on B.
    for (const waId of waIds.filter((id) => expected[nameOf(id)] === ana.operator.id))
      expect(await claim(boOnB, waId)).toMatchObject({ type: 'error', code: 'already_assigned' });

    // Every user writes again: each message is stored and the conversation stays with its operator.
    await Promise.all(
      users.map((user) => phone.say(user.phone, `And one more thing from ${user.name}`, user.name)),
    );
    for (const socket of [anaOnA, boOnB])
      await eventually(
        async () => {
          const list = await socket.conversations();
          return users.every(
            (user) =>
              conversationOf(list, user.name).last_message?.text === `And one more thing from ${user.name}`,
          );
        },
        { what: 'the new messages listed', timeoutMs: 20_000, intervalMs: 200 },
      );
    for (const socket of [anaOnA, boOnB, anaOnB]) {
      expect(await assigneesOn(socket)).toEqual(expected);
      expect(
        (await socket.conversations()).filter((c) =>
          users.some((u) => u.name === c.name && c.status !== 'open'),
        ),
      ).toEqual([]);
    }
  }, 120_000);
});
