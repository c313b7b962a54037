import { Writable } from 'node:stream';
import { eventually } from '@wa-broker/infra/poll';
import { userRef } from '@wa-broker/shared/log-privacy';
import { createLogger } from '@wa-broker/shared/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, number, type SimulatorUnderTest, startSimulator } from './support/simulator.js';

// Issue 24 §4: the simulator's own lines and Fastify's request lines (whose URLs name the user) carry no phone,
// BSUID, username, profile name or text at info, only the user's pseudonym.
const lines: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    lines.push(JSON.parse(chunk.toString()));
    done();
  },
});
let simulator: SimulatorUnderTest;

beforeAll(async () => {
  simulator = await startSimulator({}, { logger: createLogger({ service: 'wa-simulator', destination }) });
});
afterAll(() => simulator?.close());

describe('the simulator logs users by pseudonym only', () => {
  it('a conversation by phone and by username leaves no personal data and the users’ refs in the lines', async () => {
    const phone = '15550009876';
    const said = await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${phone}/messages`,
      payload: { type: 'text', text: 'my parcel never came', name: 'Quilla Fenwright' },
    });
    expect(said.statusCode).toBe(202);
    const created = await simulator.app.inject({
      method: 'POST',
      url: '/sim/users',
      payload: { username: 'quilla.log', name: 'Quilla L', country_code: 'SG' },
    });
    const bsuidOnly = (created.json() as { userId: string }).userId;
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${bsuidOnly}/messages`,
      payload: { type: 'image', caption: 'the broken lid' },
    });
    expect((await simulator.sendText(phone, 'we are sorry about the parcel')).statusCode).toBe(200);
    const byRecipient = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: auth,
      payload: {
        messaging_product: 'whatsapp',
        recipient: bsuidOnly,
        type: 'text',
        text: { body: 'a new lid is on its way' },
      },
    });
    expect(byRecipient.statusCode, byRecipient.body).toBe(200);
    await eventually(() => simulator.statuses().length >= 2);
    const phoneUser = (
      await simulator.app.inject({ method: 'GET', url: `/sim/users/${phone}/messages` })
    ).json() as { messages: { content: { from_user_id?: string } }[] };
    const phoneBsuid = phoneUser.messages[0]?.content.from_user_id ?? '';
    expect(phoneBsuid).toMatch(/^US\.\d{20}$/);

    const text = JSON.stringify(lines);
    const personal = [
      phone,
      phoneBsuid,
      bsuidOnly,
      'quilla.log',
      'Quilla',
      'parcel',
      'broken lid',
      'new lid',
    ];
    expect(personal.filter((value) => text.includes(value))).toEqual([]);
    expect(lines.filter((line) => line.msg === 'incoming request').length).toBeGreaterThanOrEqual(5);
    expect(lines.map((line) => (line.req as { url?: string } | undefined)?.url)).toContain(
      '/sim/users/:id/messages',
    );
    const refs = lines.filter((line) => line.msg === 'user message sent to the webhook').map((l) => l.user);
    expect(refs).toEqual([userRef(phoneBsuid), userRef(bsuidOnly)]);
    const accepted = lines.filter((line) => line.msg === 'business message accepted').map((l) => l.user);
    expect(accepted).toEqual([userRef(phoneBsuid), userRef(bsuidOnly)]);
  });
});
