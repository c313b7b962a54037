import { describe, expect, it } from 'vitest';
import { isBillable } from './pricing.js';

describe('pricing (meta-2026-changes.md §1.3)', () => {
  it('bills regular messages and not the free types; falls back on the deprecated flag', () => {
    expect(isBillable({ pricing_model: 'PMP', category: 'service', type: 'regular' })).toBe(true);
    expect(isBillable({ pricing_model: 'PMP', category: 'service', type: 'free_customer_service' })).toBe(
      false,
    );
    expect(isBillable({ pricing_model: 'CBP', category: 'utility', billable: true })).toBe(true);
  });
});
