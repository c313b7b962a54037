import { describe, expect, it } from 'vitest';
import { isStatusForward } from './delivery-status.js';

// The rule is docs/whatsapp-cloud-api.md §4 "Status semantics (for the router and agents)".
describe('isStatusForward (whatsapp-cloud-api.md §4)', () => {
  it('moves sent → delivered → read, and read may skip delivered', () => {
    expect(isStatusForward(null, 'sent')).toBe(true);
    expect(isStatusForward('sent', 'delivered')).toBe(true);
    expect(isStatusForward('delivered', 'read')).toBe(true);
    expect(isStatusForward('sent', 'read')).toBe(true);
  });

  it('never moves backwards or repeats: a late delivered after read is dropped', () => {
    expect(isStatusForward('read', 'delivered')).toBe(false);
    expect(isStatusForward('delivered', 'sent')).toBe(false);
    expect(isStatusForward('delivered', 'delivered')).toBe(false);
  });

  it('lets failed end only a message never delivered: "read only if it has been delivered"', () => {
    expect(isStatusForward(null, 'failed')).toBe(true);
    expect(isStatusForward('sent', 'failed')).toBe(true);
    expect(isStatusForward('delivered', 'failed')).toBe(false);
    expect(isStatusForward('read', 'failed')).toBe(false);
  });

  it('lets nothing follow failed (terminal for the attempt)', () => {
    for (const next of ['sent', 'delivered', 'read', 'failed'] as const)
      expect(isStatusForward('failed', next)).toBe(false);
  });
});
