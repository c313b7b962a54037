import { describe, expect, it } from 'vitest';
import { planStatuses } from './status-plan.js';

const delays = { sentMs: 1, deliveredMs: 2, readMs: 3 };

describe('planStatuses', () => {
  // whatsapp-cloud-api.md §4: sent → delivered → read (read when the user has the chat open).
  it('plans sent, delivered and read for a message the user reads', () => {
    expect(planStatuses(delays, { autoRead: true, type: 'text' }).map((s) => s.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  // Issue 15 §5: Meta reports a sent reaction as `sent` and nothing more (the doc has no status page for it).
  it('plans only `sent` for a reaction', () => {
    expect(planStatuses(delays, { autoRead: true, type: 'reaction' })).toEqual([
      { status: 'sent', afterMs: 1 },
    ]);
  });

  it('plans one failed status with the error when the send fails after acceptance', () => {
    const error = { code: 131047, title: 'Re-engagement message', details: 'window closed' };
    expect(planStatuses(delays, { autoRead: true, type: 'text', failWith: error })).toEqual([
      { status: 'failed', afterMs: 1, error },
    ]);
  });
});
