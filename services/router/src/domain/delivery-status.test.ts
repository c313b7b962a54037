import { describe, expect, it } from 'vitest';
import { isStatusForward } from './delivery-status.js';

describe('isStatusForward', () => {
  it('moves forward only', () => {
    expect(isStatusForward(null, 'delivered')).toBe(true);
    expect(isStatusForward('sent', 'read')).toBe(true);
    expect(isStatusForward('read', 'delivered')).toBe(false);
    expect(isStatusForward('delivered', 'delivered')).toBe(false);
  });

  it('treats failed as terminal', () => {
    expect(isStatusForward('sent', 'failed')).toBe(true);
    expect(isStatusForward('failed', 'read')).toBe(false);
  });
});
