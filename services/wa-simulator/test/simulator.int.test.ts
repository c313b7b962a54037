import { createHmac } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auth, number, type SimulatorUnderTest, secret, startSimulator } from './support/simulator.js';

let simulator: SimulatorUnderTest;
let app: SimulatorUnderTest['app'];
let received: SimulatorUnderTest['received'];

beforeAll(async () => {
  simulator = await startSimulator();
  ({ app, received } = simulator);
});

afterEach(() => simulator.reset());

afterAll(() => simulator.close());

const statuses = () => simulator.statuses();
const userSays = (waId: string, text: string) => simulator.userSays(waId, text);
const sendText = (to: string, body?: string) => simulator.sendText(to, body);

describe('simulated users', () => {
  it("turn what they type into signed webhook POSTs in Meta's format", async () => {
    expect((await userSays('15550001111', 'Olá, preciso de ajuda 👍')).statusCode).toBe(202);
    await eventually(() => received.length === 1);
    const [post] = received;
    expect(post?.signature).toBe(
      `sha256=${createHmac('sha256', secret)
        .update(post?.raw ?? '')
        .digest('hex')}`,
    );
    expect(String(post?.raw)).toContain('Ol\\u00e1');
    expect(post?.body).toMatchObject({
      object: 'whatsapp_business_account',
      entry: [
        {
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: number },
                contacts: [{ wa_id: '15550001111', profile: { name: 'Jane' } }],
                messages: [{ type: 'text', text: { body: 'Olá, preciso de ajuda 👍' } }],
              },
            },
          ],
        },
      ],
    });
  });

  // whatsapp-cloud-api.md §2.2: "batching cannot be guaranteed"; Meta usually posts each update alone.
  it('are a phone number or a BSUID: any other id in the path is refused, and no user or webhook is made', async () => {
    const users = async () => (await app.inject({ url: '/sim/users' })).json().users;
    const before = await users();
    for (const id of ['None', 'abc', '1234', 'us.13491208655302741918']) {
      const answer = await userSays(id, 'hi');
      expect([answer.statusCode, answer.json().issues?.[0]?.message], id).toEqual([
        400,
        expect.stringContaining('wa_id'),
      ]);
    }
    expect(await users()).toEqual(before);
    expect(received).toEqual([]);
    expect((await userSays('US.13491208655302741918', 'hi')).statusCode).toBe(202);
    await eventually(() => received.length === 1);
  });

  it('go out one change per POST, each as soon as it happens', async () => {
    await Promise.all([userSays('15550001111', 'one'), userSays('15550002222', 'two')]);
    await eventually(() => received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(2);
    for (const post of received) expect(post.body).toMatchObject({ entry: [{ changes: [{}] }] });
    const [first] = received;
    expect((first?.body.entry as { changes: unknown[] }[] | undefined)?.[0]?.changes).toHaveLength(1);
  });

  it('are batched into one POST only with the batching fault on', async () => {
    await app.inject({ method: 'PUT', url: '/sim/faults', payload: { batch_window_ms: 40 } });
    await Promise.all([userSays('15550001111', 'one'), userSays('15550002222', 'two')]);
    await eventually(() => received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({ entry: [{ changes: [{}, {}] }] });
  });

  it('are redelivered with backoff until the webhook answers 200, and duplicated when asked', async () => {
    simulator.answers.push(503, 500);
    await userSays('15550001111', 'retry me');
    await eventually(() => received.length === 3);
    expect(new Set(received.map((post) => post.raw.toString())).size).toBe(1);
    await app.inject({ method: 'PUT', url: '/sim/faults', payload: { duplicate_rate: 1 } });
    await userSays('15550001111', 'twice');
    await eventually(() => received.length === 5);
    expect(received[3]?.raw.toString()).toBe(received[4]?.raw.toString());
  });
});

describe('fake Graph API', () => {
  it('accepts a send in the window, answers like Meta and reports sent → delivered → read', async () => {
    await userSays('15550001111', 'hi');
    const response = await sendText('15550001111');
    expect(response.statusCode).toBe(200);
    const wamid = response.json().messages[0].id as string;
    expect(response.json()).toMatchObject({
      messaging_product: 'whatsapp',
      contacts: [{ input: '15550001111', wa_id: '15550001111' }],
    });
    await eventually(() => statuses().length === 3);
    expect(statuses().map((status) => [status.id, status.status])).toEqual([
      [wamid, 'sent'],
      [wamid, 'delivered'],
      [wamid, 'read'],
    ]);
  });

  it('refuses a wrong token (190) and an unknown number (100), and sends a template outside the window', async () => {
    const badToken = await app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: { authorization: 'Bearer nope' },
      payload: {},
    });
    expect([badToken.statusCode, badToken.json().error.code]).toEqual([401, 190]);
    const otherNumber = await app.inject({
      method: 'POST',
      url: '/v21.0/999/messages',
      headers: auth,
      payload: {},
    });
    expect(otherNumber.json().error.code).toBe(100);
    const template = await app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: auth,
      payload: {
        messaging_product: 'whatsapp',
        to: '15550009876',
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      },
    });
    expect(template.statusCode).toBe(200);
    await eventually(() => statuses().length === 3);
    expect(statuses().map((status) => status.status)).not.toContain('failed');
  });

  it('enforces the pair rate limit (131056) and the number throughput (130429)', async () => {
    await userSays('15550001111', 'hi');
    const codes = [];
    for (let index = 0; index < 6; index += 1)
      codes.push((await sendText('15550001111')).json().error?.code ?? 200);
    expect(codes).toEqual([200, 200, 200, 200, 200, 131056]);
    // Twice the number's capacity (20) at once: some must be refused however slowly the machine runs them
    // (the bucket refills at 20/s while the users' webhooks go out one POST each).
    const users = Array.from({ length: 40 }, (_, index) => `1555100${String(index).padStart(4, '0')}`);
    await Promise.all(users.map((user) => userSays(user, 'hi')));
    await eventually(() => simulator.sim.delivery.idle());
    const results = await Promise.all(users.map((user) => sendText(user)));
    expect(results.filter((result) => result.json().error?.code === 130429).length).toBeGreaterThan(0);
  });

  it('fails the next sends with an injected code, then recovers', async () => {
    await userSays('15550001111', 'hi');
    await app.inject({
      method: 'PUT',
      url: '/sim/faults',
      payload: { fail_next: [{ code: 130429, count: 2 }] },
    });
    const codes = [];
    for (let index = 0; index < 3; index += 1)
      codes.push((await sendText('15550001111')).json().error?.code ?? 200);
    expect(codes).toEqual([130429, 130429, 200]);
  });

  it('marks inbound messages read and serves media with the bearer token only', async () => {
    const sent = (await userSays('15550001111', 'read me')).json();
    const read = await app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: auth,
      payload: { messaging_product: 'whatsapp', status: 'read', message_id: sent.wamid },
    });
    expect(read.json()).toEqual({ success: true });
    const photo = (
      await app.inject({
        method: 'POST',
        url: '/sim/users/15550001111/messages',
        payload: { type: 'image', caption: 'my order' },
      })
    ).json();
    const mediaId = photo.content.image.id as string;
    const lookup = await app.inject({ method: 'GET', url: `/v21.0/${mediaId}`, headers: auth });
    expect(lookup.json()).toMatchObject({ id: mediaId, mime_type: 'image/png' });
    const { pathname, search } = new URL(lookup.json().url);
    const path = `${pathname}${search}`;
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(401);
    const download = await app.inject({ method: 'GET', url: path, headers: auth });
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });
});
