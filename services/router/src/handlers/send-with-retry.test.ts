import { describe, expect, it } from 'vitest';
import { fakeRouter } from '../testing/handler-deps.js';
import { sendWithRetry } from './send-with-retry.js';

const text = { type: 'text' as const, text: { body: 'hi' } };
const to = { wa_id: '15550001111' };

describe('sendWithRetry and the number’s window', () => {
  it('holds each place from the moment Meta’s answer arrived, refusals included', async () => {
    const r = fakeRouter();
    r.graph.script.push(
      { ok: false, httpStatus: 503, reason: 'Graph API answered HTTP 503', answeredAt: 100.5 },
      { ok: true, wamid: 'wamid.1', answeredAt: 250.25 },
    );
    const outcome = await sendWithRetry(r.deps.outbound.sender, 'phone-1', to.wa_id, to, text);
    expect(outcome).toMatchObject({ ok: true, wamid: 'wamid.1', attempts: 2 });
    expect(r.limiter.answeredAt).toEqual([100.5, 250.25]);
  });

  it('holds the place from the report when no answer came (timeout, network)', async () => {
    const r = fakeRouter();
    r.graph.script.push({ ok: false, reason: 'Graph API timed out' });
    await sendWithRetry(r.deps.outbound.sender, 'phone-1', to.wa_id, to, text);
    expect(r.limiter.answeredAt[0]).toBeUndefined();
    expect(r.limiter.answered).toHaveLength(r.limiter.acquired.length);
  });
});
