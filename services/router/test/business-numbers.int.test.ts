import { randomBytes } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { type BusinessNumberRecord, sealToken } from '@wa-broker/shared/business-numbers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Two business numbers in one deployment (issue 17 §2), against real Kafka and Redis: the numbers come from the
 * admin's compacted topic, each number's menu offers its own agents, replies leave from the number written to,
 * with its own token, and registry changes reach the router live.
 */
let h: Harness;
const key = randomBytes(32).toString('base64');
const defaultNumber = '106540352242922';
const supportNumber = '200300400';
const at = () => String(Math.floor(Date.now() / 1000));

function number(overrides: Partial<BusinessNumberRecord>): BusinessNumberRecord {
  const now = new Date().toISOString();
  return {
    phone_number_id: supportNumber,
    waba_id: '900',
    display_phone_number: '+1 555 0200',
    name: 'Support line',
    token: { source: 'stored', ciphertext: sealToken(key, 'support-line-token') },
    throughput_tier: 'standard',
    agent_ids: [2],
    active: true,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}

async function write(userId: string, phoneNumberId: string, body: string) {
  const wamid = `wamid.${userId}.${body}.${Math.random()}`;
  await h.inboundMany([
    { user: '', userId, phoneNumberId, item: { id: wamid, timestamp: at(), type: 'text', text: { body } } },
  ]);
  return wamid;
}

const sentTo = (userId: string) => h.graph.requests.filter((r) => r.body.recipient === userId);
const menuTitles = (request: { body: Record<string, unknown> }) =>
  JSON.stringify(request.body.interactive ?? {}).match(/"title":"[^"]+"/g) ?? [];

beforeAll(async () => {
  h = await startHarness({ NUMBER_TOKEN_KEY: key });
  await h.putAgent(1, 'Sales');
  await h.putAgent(2, 'Support');
  await h.putNumber(number({}));
  await h.watch([h.topics('a1').in, h.topics('a2').in]);
  await h.router.start();
});
afterAll(async () => h?.stop());

describe('several business numbers', () => {
  it('each number shows its own agents, from its own endpoint, with its own token', async () => {
    const user = 'US.40000000000000000001';
    await write(user, supportNumber, 'hi support');
    await write(user, defaultNumber, 'hi sales');
    const menus = await eventually(() => (sentTo(user).length >= 2 ? sentTo(user) : false), {
      what: 'a menu from each number',
    });
    const fromSupport = menus.find((r) => r.url === `/v25.0/${supportNumber}/messages`);
    const fromDefault = menus.find((r) => r.url === `/v25.0/${defaultNumber}/messages`);
    expect(fromSupport?.headers.authorization).toBe('Bearer support-line-token');
    expect(fromDefault?.headers.authorization).toBe('Bearer test-token-secret');
    expect(fromSupport && menuTitles(fromSupport)).toEqual(['"title":"Support"']);
    expect(fromDefault && menuTitles(fromDefault)).toEqual(['"title":"Sales"', '"title":"Support"']);
  });

  it('an agent’s reply leaves from the number the user wrote to', async () => {
    const user = 'US.40000000000000000002';
    const first = await write(user, supportNumber, 'help');
    await eventually(() => sentTo(user).length >= 1, { what: 'the menu' });
    await write(user, supportNumber, 'Support');
    const event = await eventually(() => h.received(h.topics('a2').in).find((e) => e.wamid === first), {
      what: 'the first message at Support',
    });
    expect(event).toMatchObject({ waID: user, phone_number_id: supportNumber });
    await h.agentSays(2, {
      waID: user,
      message_type: 'text',
      text: 'support speaking',
      idempotency_key: 'n1',
    });
    const reply = await eventually(
      () => sentTo(user).find((r) => JSON.stringify(r.body).includes('support speaking')),
      { what: 'the reply' },
    );
    expect(reply.url).toBe(`/v25.0/${supportNumber}/messages`);
    expect(reply.headers.authorization).toBe('Bearer support-line-token');
  });

  it('a change of the registry reaches routing without a restart', async () => {
    await h.putNumber(number({ agent_ids: [1] }));
    const user = 'US.40000000000000000003';
    await eventually(
      async () => {
        await write(user, supportNumber, `hi ${Date.now()}`);
        const menu = await eventually(() => sentTo(user).at(-1), { what: 'a menu' });
        return menuTitles(menu).join() === '"title":"Sales"';
      },
      { what: 'the support number to offer Sales only', timeoutMs: 20_000, intervalMs: 500 },
    );
  });
});
