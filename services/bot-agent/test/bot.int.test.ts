import { eventually } from '@wa-broker/infra/poll';
import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/app.js';
import { signJob } from '../src/domain/command-token.js';
import { secret, startHarness } from './support/harness.js';

describe('command bot with the fake API', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let bot: Bot;
  let out: AgentOutboundMessage[];
  const forUser = (waID: string) => out.filter((m) => m.waID === waID);
  const answered = (waID: string, count = 1) =>
    eventually(() => forUser(waID).length >= count, { timeoutMs: 15_000, what: `a reply to ${waID}` });

  beforeAll(async () => {
    h = await startHarness();
    bot = await h.startBot();
    out = await h.readOut(bot);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers /help with a list, /status with buttons and /quote with a quoted text', async () => {
    const quote = h.text('u-quote', '/quote aapl');
    await h.send(bot.agent.topics.in, [
      h.text('u-help', '/help'),
      h.text('u-status', '/status A1001'),
      quote,
    ]);
    await Promise.all([answered('u-help'), answered('u-status'), answered('u-quote')]);
    for (const record of out) expect(agentOutboundMessage.safeParse(record).success).toBe(true);
    expect(forUser('u-help')[0]).toMatchObject({ message_type: 'list', list_title: 'Examples' });
    expect(forUser('u-status')[0]).toMatchObject({ message_type: 'buttons' });
    expect(forUser('u-status')[0]?.text).toMatch(/^Order A1001 is shipped/);
    expect(forUser('u-quote')[0]).toMatchObject({
      message_type: 'text',
      text: 'AAPL: 189.20 USD',
      context_message_id: quote.wamid,
      idempotency_key: `${quote.event_id}:answer:0`,
    });
  });

  it('treats a tapped list row as its command', async () => {
    await h.send(bot.agent.topics.in, [{ ...h.text('u-row', '/quote MSFT', 'list_reply') }]);
    await answered('u-row');
    expect(forUser('u-row')[0]?.text).toBe('MSFT: 411.05 USD');
  });

  it('tells only the requesting user, in plain words, when the API times out, fails or sends bad data', async () => {
    const users = ['u-slow', 'u-fail', 'u-bad', 'u-garbled', 'u-missing', 'u-bystander'];
    await h.send(bot.agent.topics.in, [
      h.text('u-slow', '/quote SLOW'),
      h.text('u-fail', '/status FAIL'),
      h.text('u-bad', '/quote BAD'),
      h.text('u-garbled', '/status GARBLED'),
      h.text('u-missing', '/status Z999'),
    ]);
    await Promise.all(users.slice(0, 5).map((user) => answered(user)));
    const texts = Object.fromEntries(users.map((user) => [user, forUser(user).map((m) => m.text)]));
    expect(texts).toEqual({
      'u-slow': ['Sorry, the price service is taking too long to answer. Please try again in a minute.'],
      'u-fail': ['Sorry, the order service is not available right now. Please try again later.'],
      'u-bad': ['Sorry, the price service sent an answer I could not understand. Please try again later.'],
      'u-garbled': [
        'Sorry, the order service sent an answer I could not understand. Please try again later.',
      ],
      'u-missing': ['I could not find an order Z999.'],
      'u-bystander': [],
    });
  });

  it('rejects and logs a forged or tampered job; answers the real command that follows', async () => {
    const genuine = signJob(
      { v: 1, job_id: 'stolen-1', command: 'quote', arg: 'AAPL', waID: 'u-attacker' },
      secret,
      new Date(),
      60_000,
    );
    const forged = signJob(
      { v: 1, job_id: 'forged-1', command: 'quote', arg: 'AAPL', waID: 'u-victim' },
      'not-the-bot-secret-0123456789abcdefgh',
      new Date(),
      60_000,
    );
    const tampered = { ...genuine, job_id: 'stolen-2', waID: 'u-victim' };
    await h.send(bot.commandTopic, [forged, tampered, { waID: 'u-victim', garbage: true }]);
    // Same key, same partition: the real command is worked on after the three above.
    await h.send(bot.agent.topics.in, [h.text('u-victim', '/quote EUR')]);
    await answered('u-victim');
    await eventually(() => rejections('forged') >= 2, { timeoutMs: 5_000, what: 'the rejections logged' });
    expect(forUser('u-victim').map((m) => m.text)).toEqual(['EUR: 1.09 USD']);
    expect(rejections('forged')).toBe(2);
    expect(rejections('malformed')).toBe(1);
  });

  it('does not run an expired job: the user is asked to send it again and the API is not called', async () => {
    const expired = signJob(
      { v: 1, job_id: 'old-1', command: 'quote', arg: 'MSFT', waID: 'u-late' },
      secret,
      new Date(Date.now() - 120_000),
      60_000,
    );
    const calls = h.backend.requests.length;
    await h.send(bot.commandTopic, [expired]);
    await answered('u-late');
    expect(forUser('u-late').map((m) => m.text)).toEqual([
      'Sorry, your request took too long to process. Please send it again.',
    ]);
    expect(h.backend.requests.length).toBe(calls);
  });

  function rejections(reason: string): number {
    return h.logs.filter((line) => line.msg === 'command job rejected' && line.reason === reason).length;
  }
});
