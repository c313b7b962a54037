import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifySendFailure, failedStatusError, windowClosedText } from './send-policy.js';

describe('classifySendFailure', () => {
  it('retries throughput and pair limits, 5xx and timeouts', () => {
    expect(classifySendFailure({ httpStatus: 400, metaCode: 130429 })).toBe('retry');
    expect(classifySendFailure({ httpStatus: 400, metaCode: 131056 })).toBe('retry');
    expect(classifySendFailure({ httpStatus: 503 })).toBe('retry');
    expect(classifySendFailure({})).toBe('retry');
  });

  it('reports 131047 as a closed window and other 4xx as permanent', () => {
    expect(classifySendFailure({ httpStatus: 400, metaCode: 131047 })).toBe('window_closed');
    expect(classifySendFailure({ httpStatus: 400, metaCode: 100 })).toBe('permanent');
    expect(classifySendFailure({ httpStatus: 401, metaCode: 190 })).toBe('permanent');
  });
});

// whatsapp-cloud-api.md §6: 131047 comes "as an HTTP 400 from the send call and as a failed status webhook
// after a 200. Handle both paths." The agent sees the same error either way.
describe('failedStatusError', () => {
  it('reports a failed status with 131047 as window_closed, like the synchronous 400', () => {
    expect(failedStatusError({ code: 131047, title: 'Re-engagement message' })).toEqual({
      code: 'window_closed',
      text: windowClosedText,
    });
  });

  it("reports any other failure as delivery_failed with Meta's details", () => {
    expect(
      failedStatusError({ code: 131026, title: 'Message undeliverable', details: 'not on WhatsApp' }),
    ).toEqual({
      code: 'delivery_failed',
      text: 'Meta could not deliver the message: not on WhatsApp (131026)',
    });
    expect(failedStatusError(undefined).code).toBe('delivery_failed');
  });
});

describe('backoffDelayMs', () => {
  const settings = { baseMs: 100, maxMs: 5000 };
  it('doubles, uses 4^X for the pair limit, and caps', () => {
    expect(backoffDelayMs(2, 130429, settings, 0.999999)).toBe(400);
    expect(backoffDelayMs(2, 131056, settings, 0.999999)).toBe(1600);
    expect(backoffDelayMs(10, 130429, settings, 0.999999)).toBe(5000);
  });

  it('spreads delays over half to full with jitter', () => {
    expect(backoffDelayMs(1, 130429, settings, 0)).toBe(100);
  });
});
