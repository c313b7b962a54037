import { describe, expect, it } from 'vitest';
import { notificationCancelledKey } from './redis-keys.js';

describe('cross-service Redis keys', () => {
  it('spells the cancel mark as the original deployments do', () => {
    expect(notificationCancelledKey('wa:', 'n-1')).toBe('wa:notify:cancelled:n-1');
  });
});
