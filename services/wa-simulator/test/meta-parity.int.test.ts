import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { auth, number, simulatorForFile, startSimulator, waba } from './support/simulator.js';

// Issue 15: where a client written against Meta's documentation would notice the simulator. Each test states
// Meta's behaviour and the section of the shared docs it follows.

const simulator = simulatorForFile();

type Value = { contacts?: { wa_id?: string }[]; messages?: { text?: { body: string } }[] };

describe('send response', () => {
  // whatsapp-cloud-api.md §5.1: `"input": "+15550001111", "wa_id": "15550001111"`.
  it('echoes `to` exactly as sent in contacts[0].input and puts the normalised number in wa_id', async () => {
    await simulator.userSays('4915110000002', 'hi');
    const response = await simulator.sendText('+4915110000002');
    expect(response.statusCode).toBe(200);
    expect(response.json().contacts).toEqual([{ input: '+4915110000002', wa_id: '4915110000002' }]);
    const spaced = await simulator.sendText('+49 151 1000-0002');
    expect(spaced.json().contacts).toEqual([{ input: '+49 151 1000-0002', wa_id: '4915110000002' }]);
  });
});

describe('free-form message outside the 24 h window', () => {
  // whatsapp-cloud-api.md §6 (and §3.8's failed example): the API accepts it, a `failed` status with 131047 follows.
  it('is accepted with a wamid, then fails in a status with errors[0].code 131047', async () => {
    const response = await simulator.sendText('15550009876', 'too late');
    expect(response.statusCode).toBe(200);
    const wamid = response.json().messages[0].id as string;
    await eventually(() => simulator.statuses().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulator.statuses()).toEqual([
      expect.objectContaining({
        id: wamid,
        status: 'failed',
        recipient_id: '15550009876',
        errors: [expect.objectContaining({ code: 131047, title: 'Re-engagement message' })],
      }),
    ]);
  });

  it('is refused synchronously with 400/131047 only with the window_error_mode fault on', async () => {
    const set = await simulator.app.inject({
      method: 'PUT',
      url: '/sim/faults',
      payload: { window_error_mode: 'sync' },
    });
    expect(set.json()).toMatchObject({ window_error_mode: 'sync' });
    const refused = await simulator.sendText('15550009876');
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 131047]);
    expect(refused.json().error.message).toBe('(#131047) Re-engagement message');
    await simulator.reset();
    expect((await simulator.sendText('15550009876')).statusCode).toBe(200);
  });

  it('is refused synchronously when SIM_WINDOW_ERROR_MODE=sync sets the fault by default', async () => {
    const strict = await startSimulator({ SIM_WINDOW_ERROR_MODE: 'sync' });
    try {
      expect((await strict.sendText('15550009876')).json().error.code).toBe(131047);
      await strict.reset();
      expect((await strict.sendText('15550009876')).json().error.code).toBe(131047);
    } finally {
      await strict.close();
    }
  });
});

describe('webhook batching', () => {
  // whatsapp-cloud-api.md §2.2: batching "cannot be guaranteed"; Meta batches only occasionally.
  it('sends one change per POST by default, statuses included', async () => {
    // Statuses far enough apart that none is due while the previous POST is in flight, even on a busy machine.
    const spaced = await startSimulator({
      SIM_STATUS_SENT_MS: '150',
      SIM_STATUS_DELIVERED_MS: '300',
      SIM_STATUS_READ_MS: '450',
    });
    try {
      await spaced.userSays('15550001111', 'hi');
      await spaced.sendText('15550001111');
      await eventually(() => spaced.received.length === 4);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(
        spaced.received.map((post) => (post.body.entry as { changes: unknown[] }[])[0]?.changes.length),
      ).toEqual([1, 1, 1, 1]);
    } finally {
      await spaced.close();
    }
  });

  // §2.2 promises no order between POSTs; one user's go out in order here (out of order is the `reorder` fault),
  // so that a receiver keyed per user sees what the user typed in the order typed.
  it("keeps one user's POSTs in the order the user acted, with other users' going out meanwhile", async () => {
    for (let index = 0; index < 10; index += 1)
      await Promise.all([
        simulator.userSays('15550001111', `a${index}`),
        simulator.userSays('15550002222', `b${index}`),
      ]);
    const values = () =>
      simulator.received.flatMap((post) =>
        (post.body.entry as { changes: { value: Value }[] }[]).flatMap((entry) =>
          entry.changes.map((c) => c.value),
        ),
      );
    await eventually(() => values().length === 20);
    const textsOf = (waId: string) =>
      values()
        .filter((value) => value?.contacts?.[0]?.wa_id === waId)
        .map((value) => value?.messages?.[0]?.text?.body);
    expect(textsOf('15550001111')).toEqual(Array.from({ length: 10 }, (_, index) => `a${index}`));
    expect(textsOf('15550002222')).toEqual(Array.from({ length: 10 }, (_, index) => `b${index}`));
  });

  it('really turns batching off with SIM_BATCH_WINDOW_MS=0, even for changes made in the same tick', async () => {
    const unbatched = await startSimulator({ SIM_BATCH_WINDOW_MS: '0', SIM_DELIVERY_CONCURRENCY: '64' });
    try {
      const change = { field: 'messages', value: { messaging_product: 'whatsapp', statuses: [] } };
      // Three users ('a', 'b', 'c' take streams 33, 34, 35 of 64): no timer gathers them.
      for (const user of ['a', 'b', 'c']) unbatched.sim.delivery.enqueue({ wabaId: waba, change }, user);
      await eventually(() => unbatched.received.length === 3);
      expect(
        unbatched.received.map((post) => (post.body.entry as { changes: unknown[] }[])[0]?.changes),
      ).toEqual([[change], [change], [change]]);
    } finally {
      await unbatched.close();
    }
  });

  // §2.2: "POST requests are aggregated and sent in a batch with a maximum of 1000 updates": what piles up while
  // the receiver has not answered goes out together, in order.
  it("aggregates one user's changes that pile up behind a POST the receiver has not answered yet", async () => {
    const single = await startSimulator({ SIM_DELIVERY_CONCURRENCY: '1' });
    try {
      const change = (id: string) => ({ field: 'messages', value: { messaging_product: 'whatsapp', id } });
      for (const id of ['1', '2', '3'])
        single.sim.delivery.enqueue({ wabaId: waba, change: change(id) }, 'a');
      await eventually(() => single.received.length === 2);
      expect(
        single.received.map((post) => (post.body.entry as { changes: unknown[] }[])[0]?.changes),
      ).toEqual([[change('1')], [change('2'), change('3')]]);
    } finally {
      await single.close();
    }
  });

  it('batches changes within SIM_BATCH_WINDOW_MS when the fault is configured', async () => {
    const batching = await startSimulator({ SIM_BATCH_WINDOW_MS: '30' });
    try {
      const change = { field: 'messages', value: { messaging_product: 'whatsapp', statuses: [] } };
      batching.sim.delivery.enqueue({ wabaId: waba, change });
      batching.sim.delivery.enqueue({ wabaId: waba, change });
      await eventually(() => batching.received.length === 1);
      const [post] = batching.received;
      expect((post?.body.entry as { changes: unknown[] }[] | undefined)?.[0]?.changes).toHaveLength(2);
    } finally {
      await batching.close();
    }
  });
});

describe('a sent reaction', () => {
  // Issue 15 §5 (what Meta sends, seen with three client libraries; the docs' §4 has no rule for reactions).
  it('gets a `sent` status and nothing more', async () => {
    const inbound = (await simulator.userSays('15550001111', 'hi')).json();
    const response = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: auth,
      payload: {
        messaging_product: 'whatsapp',
        to: '15550001111',
        type: 'reaction',
        reaction: { message_id: inbound.wamid, emoji: '👍' },
      },
    });
    const wamid = response.json().messages[0].id as string;
    await eventually(() => simulator.statuses().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(simulator.statuses().map((status) => [status.id, status.status])).toEqual([[wamid, 'sent']]);
  });
});

describe("a location's name", () => {
  // whatsapp-cloud-api.md §3.5: location.name is the place; §2.3: contacts[].profile.name is the user.
  it("stays the place's name and never renames the user; profile_name (or name on other actions) does", async () => {
    await simulator.userSays('15550001111', 'hi');
    await simulator.app.inject({
      method: 'POST',
      url: '/sim/users/15550001111/messages',
      payload: {
        type: 'location',
        latitude: 52.52,
        longitude: 13.4,
        name: 'Berlin office',
        address: 'Berlin',
      },
    });
    await eventually(() => simulator.received.length === 2);
    const users = (await simulator.app.inject({ method: 'GET', url: '/sim/users' })).json().users;
    expect(users).toEqual([expect.objectContaining({ waId: '15550001111', name: 'Jane' })]);
    const last = simulator.received[1]?.body as {
      entry: { changes: { value: { contacts: unknown[]; messages: unknown[] } }[] }[];
    };
    expect(last.entry[0]?.changes[0]?.value).toMatchObject({
      contacts: [{ profile: { name: 'Jane' } }],
      messages: [{ type: 'location', location: { name: 'Berlin office', address: 'Berlin' } }],
    });
    await simulator.app.inject({
      method: 'POST',
      url: '/sim/users/15550001111/messages',
      payload: { type: 'location', latitude: 1, longitude: 2, name: 'Depot', profile_name: 'Jane Doe' },
    });
    const renamed = (await simulator.app.inject({ method: 'GET', url: '/sim/users' })).json().users;
    expect(renamed).toEqual([expect.objectContaining({ name: 'Jane Doe' })]);
  });
});
