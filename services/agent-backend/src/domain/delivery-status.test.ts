import { describe, expect, it } from 'vitest';
import { canAdvance, statusesBefore } from './delivery-status.js';

describe('canAdvance', () => {
  it('moves a reply forward through sent, delivered and read', () => {
    expect(canAdvance('pending', 'sent')).toBe(true);
    expect(canAdvance('sent', 'delivered')).toBe(true);
    expect(canAdvance('delivered', 'read')).toBe(true);
  });

  it('accepts read straight after sent (Meta may skip delivered)', () => {
    expect(canAdvance('sent', 'read')).toBe(true);
  });

  it('never goes backwards or repeats', () => {
    expect(canAdvance('read', 'delivered')).toBe(false);
    expect(canAdvance('delivered', 'sent')).toBe(false);
    expect(canAdvance('sent', 'sent')).toBe(false);
  });

  it('keeps failed final and never fails a message already read', () => {
    expect(canAdvance('failed', 'read')).toBe(false);
    expect(canAdvance('read', 'failed')).toBe(false);
    expect(canAdvance('delivered', 'failed')).toBe(true);
    expect(statusesBefore('failed')).toEqual(['pending', 'sent', 'delivered']);
  });
});
