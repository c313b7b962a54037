import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { isAbout } from '../src/agent-bus.js';
import { openBenchOperator } from '../src/bench-operator.js';
import { runRate } from '../src/e2e-bench-rate.js';
import { benchPhones, connectBenchUsers, InboundFrames } from '../src/e2e-bench-users.js';
import { signInOperator } from '../src/operators.js';
import { isE2eAgent, Phone } from '../src/phone.js';
import { systemForFile } from '../src/system-for-file.js';

const { phone, bus, system } = systemForFile();

/** The user says something, gets the menu, picks the e2e agent; returns the event the agent got for the first message. */
async function connect(waId: string, firstMessage: string) {
  const hi = await phone.say(waId, firstMessage);
  await phone.choose(waId, isE2eAgent);
  return bus.waitForInbound(
    (event) => isAbout(event, waId) && event.wamid === hi.wamid,
    `the first message of ${waId}`,
  );
}

describe('a conversation through the simulator', () => {
  it('menu → choice → first message reaches the agent → reply reaches the user → statuses reach the agent', async () => {
    const waId = '15557000001';
    const first = await connect(waId, 'Hi, I need help with order 48213');
    expect(first).toMatchObject({
      type: 'text',
      text: 'Hi, I need help with order 48213',
      user: { wa_id: waId, name: 'E2E User' },
    });
    expect(Date.parse(first.window_expires_at ?? '')).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(bus.inbound.some((event) => isAbout(event, waId) && event.type === 'session_started')).toBe(true);

    const key = await bus.reply({
      waID: waId,
      message_type: 'text',
      text: 'Hello! Let me check order 48213.',
    });
    const reply = await phone.waitFor(
      waId,
      (entry) => Phone.text(entry) === 'Hello! Let me check order 48213.',
      'the agent reply',
    );
    const read = await bus.waitForInbound(
      (event) =>
        event.type === 'status' && event.status?.wamid === reply.wamid && event.status.status === 'read',
      'the read status',
    );
    expect(read.status?.idempotency_key).toBe(key);
  });

  it('#exit returns the user to the menu and tells the agent', async () => {
    const waId = '15557000002';
    await connect(waId, 'hello');
    await phone.say(waId, '  #EXIT ');
    await bus.waitForInbound(
      (event) => isAbout(event, waId) && event.type === 'session_ended',
      'session_ended',
    );
    const menus = (await phone.received(waId)).filter((entry) => entry.type === 'interactive');
    await phone.waitFor(
      waId,
      (entry) => entry.type === 'interactive' && entry.seq > (menus[0]?.seq ?? 0),
      'a second menu',
    );
  });

  it('keeps order per user with two users writing at once', async () => {
    const users = ['15557000003', '15557000004'];
    await Promise.all(users.map((waId) => connect(waId, 'start')));
    for (let index = 0; index < 10; index += 1)
      await Promise.all(users.map((waId) => phone.say(waId, `message ${index}`)));
    for (const waId of users) {
      const texts = await eventually(
        () => {
          const got = bus.inbound
            .filter((event) => isAbout(event, waId) && event.text.startsWith('message '))
            .map((event) => event.text);
          return got.length >= 10 ? got : undefined;
        },
        { what: `10 messages of ${waId}`, timeoutMs: 20_000, intervalMs: 100 },
      );
      expect(texts).toEqual(Array.from({ length: 10 }, (_, index) => `message ${index}`));
    }
  });

  it('routes a duplicated webhook delivery once', async () => {
    const waId = '15557000005';
    await connect(waId, 'start');
    await phone.faults({ duplicate_rate: 1 });
    const sent = await phone.say(waId, 'only once please');
    await bus.waitForInbound((event) => event.wamid === sent.wamid, 'the message');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await phone.faults({ duplicate_rate: 0 });
    expect(bus.inbound.filter((event) => event.wamid === sent.wamid)).toHaveLength(1);
  });

  it('retries an injected 130429 and the reply still arrives', async () => {
    const waId = '15557000006';
    await connect(waId, 'start');
    await phone.faults({ fail_next: [{ code: 130429, count: 2 }] });
    await bus.reply({ waID: waId, message_type: 'text', text: 'after two throttles' });
    await phone.waitFor(waId, (entry) => Phone.text(entry) === 'after two throttles', 'the throttled reply');
  });

  it('turns a free-form reply after the window closed into a clear error', async () => {
    const waId = '15557000007';
    await connect(waId, 'start');
    // The router keeps its own window from Meta's timestamps; the simulator keeps Meta's. Close Meta's.
    await phone.setLastInbound(waId, new Date(Date.now() - 25 * 3_600_000));
    const key = await bus.reply({ waID: waId, message_type: 'text', text: 'too late?' });
    const error = await bus.waitForError((event) => event.idempotency_key === key, 'window closed');
    expect(error.code).toBe('window_closed');
    expect(error.text).toMatch(/template/i);
  });
});

describe('the end-to-end benchmark’s machinery (pnpm bench:e2e), at a tiny rate', () => {
  it('follows every message to an operator’s socket and every reply to the phone, with figures for each hop', async () => {
    const { operatorAdmin, agentTopics, prefix } = system;
    const frames = new InboundFrames();
    const session = await signInOperator(system.agent.url, operatorAdmin.email, operatorAdmin.password);
    const socket = await openBenchOperator(system.agent.url, session.cookie, (frame, at) =>
      frames.handle(0, frame, at),
    );
    try {
      const users = await connectBenchUsers(phone, frames, benchPhones(3, 9000), 1);
      const result = await runRate({
        phase: 0,
        ratePerSecond: 5,
        durationS: 2,
        users,
        operators: [socket],
        frames,
        phone,
        simulatorUrl: system.simulator.url,
        settleTimeoutMs: 60_000,
        hops: {
          brokers: system.kafkaBrokers,
          webhook: `${prefix}-webhook`,
          agentIn: agentTopics.in,
          agentOut: agentTopics.out,
        },
      });
      expect(result.detail).toMatchObject({ first_problems: [] });
      expect(result).toMatchObject({ messages: 10, lost: 0, sent_twice: 0, out_of_order: 0 });
      // Every trip and hop was measured (how long they took is the benchmark's business, not this test's).
      for (const latency of [
        result.user_to_operator,
        result.operator_to_phone,
        ...Object.values(result.hops ?? {}),
      ])
        expect(latency.p50_ms).not.toBeNull();
      expect(Object.keys(result.hops ?? {})).toHaveLength(7);
    } finally {
      await socket.close();
    }
  });
});
