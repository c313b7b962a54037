import { describe, expect, it } from 'vitest';
import { pricingOf } from './pricing.js';

// meta-2026-changes.md §1.3: `pricing: {billable, pricing_model: "PMP", category, type}`.
describe('pricingOf', () => {
  it('bills a free-form reply as a regular service message (since 2026-10-01)', () => {
    expect(pricingOf({ windowOpen: true }, false)).toEqual({
      billable: true,
      pricing_model: 'PMP',
      category: 'service',
      type: 'regular',
    });
  });

  it("names a template's category, lowercased", () => {
    expect(pricingOf({ templateCategory: 'MARKETING', windowOpen: false }, false)).toMatchObject({
      category: 'marketing',
      type: 'regular',
      billable: true,
    });
  });

  it('gives the pre-October rule on request: in-window service and utility are free, marketing is not', () => {
    const free = { billable: false, type: 'free_customer_service' };
    expect(pricingOf({ windowOpen: true }, true)).toMatchObject({ ...free, category: 'service' });
    expect(pricingOf({ templateCategory: 'UTILITY', windowOpen: true }, true)).toMatchObject({
      ...free,
      category: 'utility',
    });
    expect(pricingOf({ templateCategory: 'MARKETING', windowOpen: true }, true)).toMatchObject({
      type: 'regular',
    });
    expect(pricingOf({ templateCategory: 'UTILITY', windowOpen: false }, true)).toMatchObject({
      type: 'regular',
    });
  });
});
