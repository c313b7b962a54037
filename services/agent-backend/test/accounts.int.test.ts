import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { admin, createHarness, type Harness, operatorToken } from './support/harness.js';
import { connectOperator, type OperatorClient, signIn } from './support/operator-client.js';

let harness: Harness;
let url: string;
const sockets: OperatorClient[] = [];

beforeAll(async () => {
  harness = await createHarness();
  // As deployed: no development token.
  url = (
    await harness.startInstance({ config: { OPERATOR_DEV_TOKEN_AUTH: false, SIGN_IN_MAX_PER_EMAIL: 5 } })
  ).url;
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await harness?.close();
});

const json = (body: unknown, cookie?: string) => ({
  headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  body: JSON.stringify(body),
});

async function createOperator(cookie: string, body: Record<string, unknown>) {
  return fetch(`${url}/api/operators`, { method: 'POST', ...json(body, cookie) });
}

function upgradeStatus(headers: Record<string, string>, path = '/ws'): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });
}

describe('operator accounts', () => {
  it('creates the first admin from configuration, stores only a scrypt hash, and signs in with a session cookie', async () => {
    const stored = await harness.db.collection('operators').findOne({ email_lc: admin.email });
    expect(stored).toMatchObject({ role: 'admin', disabled: false, password: { algorithm: 'scrypt' } });
    expect(JSON.stringify(stored)).not.toContain(admin.password);

    const wrong = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      ...json({ email: admin.email, password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      ...json({ email: 'nobody@example.com', password: 'not the password' }),
    });
    expect(await unknown.json()).toEqual(
      await wrong
        .clone()
        .json()
        .catch(() => ({ error: 'invalid_credentials', message: expect.any(String) })),
    );

    const response = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      ...json({ email: admin.email.toUpperCase(), password: admin.password }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^wa_operator_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // SESSION_COOKIE_SECURE=false in tests
    const body = (await response.json()) as { operator: Record<string, unknown> };
    expect(body.operator).toMatchObject({ email: admin.email, role: 'admin' });
    expect(body.operator).not.toHaveProperty('password');

    const token = cookie.split(';')[0]?.split('=')[1] ?? '';
    const sessions = await harness.db.collection('sessions').find({}).toArray();
    expect(sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(sessions)).not.toContain(token); // only its hash is stored
    const me = await fetch(`${url}/api/auth/me`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(await me.json()).toMatchObject({ operator: { email: admin.email } });
  });

  it('opens the socket only with a valid session cookie; the development token is off', async () => {
    expect(await upgradeStatus({})).toBe(401);
    expect(await upgradeStatus({}, `/ws?token=${operatorToken}`)).toBe(401);
    expect(await upgradeStatus({ cookie: 'wa_operator_session=forged' })).toBe(401);
    const { cookie } = await signIn(url, admin.email, admin.password);
    const socket = await connectOperator(url, { cookie });
    sockets.push(socket);
    const welcome = await socket.waitForFrame((frame) => frame.type === 'welcome');
    expect(welcome).toMatchObject({ operator: { email: admin.email, role: 'admin' } });
    expect((await fetch(`${url}/api/conversations`)).status).toBe(401);
    expect((await fetch(`${url}/api/conversations`, { headers: { cookie } })).status).toBe(200);
  });

  it('lets admins manage accounts: unique emails in any case, no hash in answers, operators not admins', async () => {
    const { cookie } = await signIn(url, admin.email, admin.password);
    const created = await createOperator(cookie, {
      name: 'Bea',
      email: 'Bea@Example.com',
      password: 'bea password 1',
    });
    expect(created.status).toBe(201);
    const { operator } = (await created.json()) as { operator: { id: string } };
    expect(operator).toMatchObject({ name: 'Bea', role: 'operator', disabled: false });
    expect(JSON.stringify(operator)).not.toMatch(/password|hash|salt/);
    const again = await createOperator(cookie, {
      name: 'B',
      email: 'bea@example.com',
      password: 'another pass 1',
    });
    expect(again.status).toBe(409);

    const bea = await signIn(url, 'bea@example.com', 'bea password 1');
    expect((await fetch(`${url}/api/operators`, { headers: { cookie: bea.cookie } })).status).toBe(403);
    const list = await fetch(`${url}/api/operators`, { headers: { cookie } });
    expect(JSON.stringify(await list.json())).not.toMatch(/scrypt|salt/);
    const demote = await fetch(
      `${url}/api/operators/${(await harness.db.collection('operators').findOne({ email_lc: admin.email }))?._id}`,
      {
        method: 'PATCH',
        ...json({ role: 'operator' }, cookie),
      },
    );
    expect(demote.status).toBe(409); // the last admin stays one
  });

  it('ends the sessions and closes the sockets of a disabled operator, and of one who signs out', async () => {
    const { cookie } = await signIn(url, admin.email, admin.password);
    const created = await createOperator(cookie, {
      name: 'Cai',
      email: 'cai@example.com',
      password: 'cai password 1',
    });
    const { operator } = (await created.json()) as { operator: { id: string } };
    const cai = await signIn(url, 'cai@example.com', 'cai password 1');
    const socket = await connectOperator(url, cai);
    sockets.push(socket);
    await socket.waitForFrame((frame) => frame.type === 'welcome');
    const disabled = await fetch(`${url}/api/operators/${operator.id}`, {
      method: 'PATCH',
      ...json({ disabled: true }, cookie),
    });
    expect(disabled.status).toBe(200);
    await socket.waitForFrame((frame) => frame.type === 'signed_out' && frame.reason === 'disabled');
    expect(await socket.closed).toBe(4401);
    expect((await fetch(`${url}/api/auth/me`, { headers: { cookie: cai.cookie } })).status).toBe(401);
    const again = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      ...json({ email: 'cai@example.com', password: 'cai password 1' }),
    });
    expect(again.status).toBe(401);

    const mine = await connectOperator(url, { cookie });
    sockets.push(mine);
    await mine.waitForFrame((frame) => frame.type === 'welcome');
    const foreign = await fetch(`${url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: 'https://elsewhere.example' },
    });
    expect(foreign.status).toBe(403); // a page of another origin cannot sign anyone out (nor change accounts)
    const out = await fetch(`${url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    await mine.waitForFrame((frame) => frame.type === 'signed_out' && frame.reason === 'signed_out');
    expect((await fetch(`${url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('closes a socket once its session expired', async () => {
    const { cookie } = await signIn(url, 'bea@example.com', 'bea password 1');
    const socket = await connectOperator(url, { cookie });
    sockets.push(socket);
    await socket.waitForFrame((frame) => frame.type === 'welcome');
    await harness.db
      .collection('sessions')
      .updateMany({}, { $set: { expires_at: new Date(Date.now() - 1000) } });
    await socket.waitForFrame((frame) => frame.type === 'signed_out' && frame.reason === 'expired', 5_000);
    expect(await socket.closed).toBe(4401);
  });

  it('answers 429 after five sign-in attempts for one email, counted across instances', async () => {
    const other = (
      await harness.startInstance({ config: { OPERATOR_DEV_TOKEN_AUTH: false, SIGN_IN_MAX_PER_EMAIL: 5 } })
    ).url;
    let turn = 0;
    const attempt = () =>
      fetch(`${turn++ % 2 === 0 ? url : other}/api/auth/sign-in`, {
        method: 'POST',
        ...json({ email: 'target@example.com', password: 'guess guess 1' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
