import { eventually } from '@wa-broker/infra/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaError } from './support/fake-graph.js';
import { fixtureItem, type Harness, startHarness } from './support/harness.js';

let h: Harness;
let user = 0;
const nextUser = () => `1555${h.id.replace(/\D/g, '').slice(0, 4)}${String(++user).padStart(4, '0')}`;
const events = (agent: number, predicate: (e: Record<string, unknown>) => boolean) =>
  h.received(h.topics(`a${agent}`).in).filter(predicate);
const forUser = (waID: string) => (e: Record<string, unknown>) => e.waID === waID;

beforeAll(async () => {
  h = await startHarness();
  await h.putAgent(1, 'Sales', true, 'Quotes and orders');
  await h.putAgent(2, 'Support');
  await h.watch([1, 2, 3].flatMap((a) => [h.topics(`a${a}`).in, h.topics(`a${a}`).error]));
  await h.router.start();
});
afterAll(async () => h?.stop());

async function connect(waID: string, agent = 1, first = 'hello') {
  const firstWamid = await h.text(waID, first);
  await eventually(() => h.graph.to(waID).length >= 1, { what: 'menu' });
  await h.reply(waID, `agent:${agent}`);
  await eventually(() => events(agent, (e) => e.wamid === firstWamid)[0], {
    what: 'first message at the agent',
  });
}

describe('router against real Kafka and Redis', () => {
  it('shows the menu, connects on a choice and forwards the first message after session_started', async () => {
    const waID = nextUser();
    const wamid = await h.text(waID, 'Hi, I need help');
    const menu = await eventually(() => h.graph.to(waID)[0], { what: 'menu sent' });
    expect(menu.headers.authorization).toBe('Bearer test-token-secret');
    expect(menu.url).toBe('/v25.0/106540352242922/messages');
    expect(menu.body).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
    await h.reply(waID, 'agent:1');
    const got = await eventually(
      () => (events(1, forUser(waID)).length >= 2 ? events(1, forUser(waID)) : false),
      { what: 'two events' },
    );
    expect(got.map((e) => e.type)).toEqual(['session_started', 'text']);
    expect(got[1]).toMatchObject({ wamid, text: 'Hi, I need help', window_expires_at: expect.any(String) });
    await eventually(
      () => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('Connecting you to Sales')),
      { what: 'connecting text' },
    );
  });

  it('forwards media, location and reactions, and drops a redelivered wamid', async () => {
    const waID = nextUser();
    await connect(waID);
    await h.inbound(waID, fixtureItem('inbound-image.json'));
    await h.inbound(waID, fixtureItem('inbound-image.json'));
    await h.inbound(waID, { ...fixtureItem('inbound-location.json'), id: `wamid.loc.${waID}` });
    const got = await eventually(
      () => {
        const list = events(1, forUser(waID));
        return list.some((e) => e.type === 'location') ? list : false;
      },
      { what: 'location' },
    );
    expect(got.filter((e) => e.type === 'image')).toHaveLength(1);
    expect(got.find((e) => e.type === 'image')).toMatchObject({
      media: { id: '1003383421387256', mime_type: 'image/jpeg' },
    });
  });

  it('keeps per-user order under concurrency', async () => {
    const users = Array.from({ length: 5 }, nextUser);
    for (const waID of users) await connect(waID, 2);
    await Promise.all(
      users.map(async (waID) => {
        for (let i = 0; i < 20; i++) await h.text(waID, `n${i}`);
      }),
    );
    for (const waID of users) {
      const texts = await eventually(
        () => {
          const list = events(2, (e) => forUser(waID)(e) && String(e.text).startsWith('n')).map(
            (e) => e.text,
          );
          return list.length >= 20 ? list : false;
        },
        { what: '20 texts' },
      );
      expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    }
  });

  it('#exit returns to the menu and tells the agent', async () => {
    const waID = nextUser();
    await connect(waID);
    await h.text(waID, '  #Exit ');
    const ended = await eventually(
      () => events(1, (e) => forUser(waID)(e) && e.type === 'session_ended')[0],
      { what: 'session_ended' },
    );
    expect(ended).toMatchObject({ session: { reason: 'user_exit' } });
  });

  it('retries 130429 and 131056, and reports 131047 as window_closed without retrying', async () => {
    const waID = nextUser();
    await connect(waID);
    await eventually(() => h.graph.to(waID).length >= 2, { what: 'connecting text' });
    h.graph.queue(metaError(130429), metaError(131056));
    await h.agentSays(1, { waID, message_type: 'text', text: 'retried', idempotency_key: `r-${waID}` });
    await eventually(
      () => h.graph.to(waID).filter((r) => JSON.stringify(r.body).includes('retried')).length === 3,
      { what: 'retried send' },
    );
    h.graph.queue(metaError(131047));
    await h.agentSays(1, { waID, message_type: 'text', text: 'refused', idempotency_key: `w-${waID}` });
    const error = await eventually(
      () => h.received(h.topics('a1').error).find((e) => e.idempotency_key === `w-${waID}`),
      { what: 'window error' },
    );
    expect(error).toMatchObject({ code: 'window_closed', meta_error: { code: 131047 } });
    expect(JSON.stringify(error)).not.toContain('test-token-secret');
  });

  it('refuses free-form outside the 24 h window locally but sends templates', async () => {
    const waID = nextUser();
    const old = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    await h.text(waID, 'old message', undefined, old);
    await eventually(() => h.graph.to(waID).length >= 1, { what: 'menu' });
    const tap = {
      id: `wamid.tap.${waID}`,
      timestamp: old,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'agent:1', title: 'Sales' } },
    };
    await h.inbound(waID, tap);
    await eventually(() => events(1, (e) => forUser(waID)(e) && e.type === 'session_started')[0], {
      what: 'session',
    });
    await h.agentSays(1, { waID, message_type: 'text', text: 'too late' });
    await h.agentSays(1, {
      waID,
      message_type: 'template',
      template: { name: 'order_followup', language: 'en_US' },
    });
    const error = await eventually(() => h.received(h.topics('a1').error).find((e) => e.waID === waID), {
      what: 'window_closed',
    });
    expect(error).toMatchObject({ code: 'window_closed', text: expect.stringContaining('template') });
    await eventually(() => h.graph.to(waID).find((r) => r.body.type === 'template'), {
      what: 'template sent',
    });
    expect(h.graph.to(waID).some((r) => JSON.stringify(r.body).includes('too late'))).toBe(false);
  });

  it('rejects invalid messages and replies from agents not in session', async () => {
    const waID = nextUser();
    await connect(waID);
    await h.agentSays(1, {
      waID,
      message_type: 'list',
      list_title: 'Pick',
      list_body: 'Options',
      list_items: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })),
    });
    await h.agentSays(2, { waID, message_type: 'text', text: 'not mine' });
    await eventually(
      () => h.received(h.topics('a1').error).find((e) => e.waID === waID && e.code === 'invalid_message'),
      { what: 'invalid' },
    );
    await eventually(
      () => h.received(h.topics('a2').error).find((e) => e.waID === waID && e.code === 'not_in_session'),
      { what: 'not in session' },
    );
  });

  it('transfers a user to another agent with the reason', async () => {
    const waID = nextUser();
    await connect(waID);
    await h.agentSays(1, { waID, message_type: 'transfer', transfer_to: 'Support', reason: 'billing' });
    const started = await eventually(
      () => events(2, (e) => forUser(waID)(e) && e.type === 'session_started')[0],
      { what: 'started at 2' },
    );
    expect(started).toMatchObject({ session: { reason: 'transfer', from_agent: '1', note: 'billing' } });
    await eventually(
      () => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('You are now talking to Support')),
      { what: 'user told' },
    );
    const wamid = await h.text(waID, 'after transfer');
    await eventually(() => events(2, (e) => e.wamid === wamid)[0], { what: 'message at 2' });
  });

  it('follows agents added and deactivated while running', async () => {
    await h.putAgent(3, 'Billing');
    const waID = nextUser();
    await h.text(waID, 'hi');
    await eventually(() => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('agent:3')), {
      what: '3-agent menu',
    });
    await h.reply(waID, 'agent:3');
    await eventually(() => events(3, (e) => forUser(waID)(e) && e.type === 'session_started')[0], {
      what: 'session at 3',
    });
    await h.agentSays(3, { waID, message_type: 'text', text: 'from billing' });
    await eventually(() => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('from billing')), {
      what: 'billing reply sent',
    });
    await h.putAgent(3, 'Billing', false);
    await eventually(() => h.router.registry.get('3')?.active === false, { what: 'deactivated' });
    await h.text(waID, 'still there?');
    await eventually(
      () => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('Billing is no longer available')),
      { what: 'back to menu' },
    );
  });

  it('loses nothing and sends nothing twice across a restart mid-stream', async () => {
    const waID = nextUser();
    await connect(waID, 2);
    for (let i = 0; i < 10; i++)
      await h.agentSays(2, { waID, message_type: 'text', text: `r${i}`, idempotency_key: `rs-${waID}-${i}` });
    const first = await h.text(waID, 'm0');
    for (let i = 1; i < 10; i++) await h.text(waID, `m${i}`);
    await h.restartRouter();
    // Meta redelivers m0 after the restart; offsets not yet committed are replayed too: both routed once.
    await h.text(waID, 'm0', first);
    for (let i = 10; i < 15; i++) await h.text(waID, `m${i}`);
    const texts = await eventually(
      () => {
        const list = events(2, (e) => forUser(waID)(e) && e.type === 'text').map((e) => e.text);
        return new Set(list).size >= 16 ? list : false;
      },
      { what: '15 messages', timeoutMs: 30_000 },
    );
    expect(texts).toEqual(['hello', ...Array.from({ length: 15 }, (_, i) => `m${i}`)]);
    const replies = await eventually(
      () => {
        const list = h.graph.to(waID).filter((r) => /"r\d"/.test(JSON.stringify(r.body)));
        return list.length >= 10 ? list : false;
      },
      { what: '10 replies' },
    );
    expect(replies).toHaveLength(10);
  }, 60_000);

  it('an event that names only the phone continues the conversation of the BSUID it was seen with (meta-2026-changes.md §1.2)', async () => {
    // Each batch reads the ids' leads with its state in one round trip; an id that leads elsewhere (here the
    // phone, linked to the BSUID by the first message) costs a second read of the conversation it leads to.
    const phone = nextUser();
    const bsuid = `US.${phone}`;
    const first = `wamid.both.${phone}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    await h.inboundMany([
      { user: phone, userId: bsuid, item: { id: first, timestamp, type: 'text', text: { body: 'hello' } } },
    ]);
    await eventually(() => h.graph.to(phone)[0], { what: 'menu' });
    await h.reply(phone, 'agent:1');
    const later = await h.text(phone, 'phone only');
    const got = await eventually(
      () => {
        const list = events(1, forUser(bsuid));
        return list.some((e) => e.wamid === later) ? list : false;
      },
      { what: 'the phone-only message at the agent under the BSUID' },
    );
    expect(got.map((e) => e.type)).toEqual(['session_started', 'text', 'text']);
    expect(got.map((e) => e.wamid).slice(1)).toEqual([first, later]);
    expect(events(1, forUser(phone))).toEqual([]);
    expect(h.graph.to(phone).filter((r) => r.body.type === 'interactive')).toHaveLength(1);
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await h.router.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await h.router.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const metrics = await h.router.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('router_inbound_routed_total{type="text"}');
    expect(metrics.body).toContain('router_sends_total');
  });
});
