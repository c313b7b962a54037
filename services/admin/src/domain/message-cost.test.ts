import type { MessageCostEvent } from '@wa-broker/shared/pricing';
import { describe, expect, it } from 'vitest';
import { costCounts, costPeriod, costTotals, foldCostEvent, type MessageCost } from './message-cost.js';

const now = new Date('2026-10-20T12:00:00Z');
const wamid = 'wamid.HBgLMTU1NTAxMDAwMDEVAgARGBI';

const sent: MessageCostEvent = {
  v: 1,
  kind: 'sent',
  wamid,
  phone_number_id: '106540352242922',
  agent_id: '2',
  origin: 'agent',
  message_type: 'template',
  template: { name: 'order_update', language: 'en_US' },
  sent_at: '2026-10-19T23:59:58.000Z',
};
const priced = (status: string, at: string, pricing: Record<string, unknown>): MessageCostEvent => ({
  v: 1,
  kind: 'priced',
  wamid,
  phone_number_id: '106540352242922',
  status,
  pricing: { pricing_model: 'PMP', category: 'utility', ...pricing },
  at,
});
const onSent = priced('sent', '2026-10-20T00:00:01.000Z', { type: 'regular' });
const onDelivered = priced('delivered', '2026-10-20T00:00:03.000Z', { type: 'regular', billable: true });
const onRead = priced('read', '2026-10-20T00:01:00.000Z', { type: 'regular' });

const fold = (events: readonly MessageCostEvent[], start: MessageCost | null = null) =>
  events.reduce<MessageCost | null>((row, event) => foldCostEvent(row, event, now), start);

/** Every order of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('foldCostEvent', () => {
  it('keeps the send (who, what, when) and the earliest status’s pricing in one row', () => {
    expect(fold([sent, onSent, onDelivered, onRead])).toEqual({
      wamid,
      phoneNumberId: '106540352242922',
      agentId: '2',
      origin: 'agent',
      messageType: 'template',
      template: { name: 'order_update', language: 'en_US' },
      sentAt: new Date(sent.sent_at),
      pricedAt: new Date('2026-10-20T00:00:01.000Z'),
      // `billable` only on the delivered status: later statuses fill what the first one lacked.
      pricing: { model: 'PMP', category: 'utility', type: 'regular', metaBillable: true },
      billable: true,
      // The day of the send, not of its statuses (the next UTC day here).
      reportedAt: new Date(sent.sent_at),
      updatedAt: now,
    });
  });

  it('gives the same row whatever the order of the records, duplicates included', () => {
    const events = [sent, onSent, onDelivered, onRead, sent, onRead];
    const expected = fold([sent, onSent, onDelivered, onRead]);
    for (const order of permutations(events)) expect(fold(order)).toEqual(expected);
  });

  it('lets the earliest status’s pricing win a field two statuses disagree on, in any order', () => {
    const free = priced('sent', '2026-10-20T00:00:01.000Z', {
      category: 'service',
      type: 'free_customer_service',
    });
    const regular = priced('delivered', '2026-10-20T00:00:05.000Z', { category: 'service', type: 'regular' });
    for (const order of permutations([sent, regular, free])) {
      const row = fold(order);
      expect(row?.pricing.type).toBe('free_customer_service');
      expect(row?.billable).toBe(false);
      expect(row?.pricedAt).toEqual(new Date('2026-10-20T00:00:01.000Z'));
    }
  });

  it('returns the row itself for a redelivered record, so nothing is written and updated_at stays', () => {
    const row = fold([sent, onSent]) as MessageCost;
    const later = new Date('2026-10-21T00:00:00Z');
    expect(foldCostEvent(row, sent, later)).toBe(row);
    expect(foldCostEvent(row, onSent, later)).toBe(row);
    expect(foldCostEvent(row, onRead, later)).toBe(row);
    expect(foldCostEvent(row, onDelivered, later).updatedAt).toEqual(later);
  });

  it('reports a row without its send record on the day of its first pricing, then moves it to the send’s day', () => {
    const pricedOnly = fold([onRead, onSent]) as MessageCost;
    expect(pricedOnly).toMatchObject({ sentAt: null, agentId: null, origin: null, billable: true });
    expect(pricedOnly.reportedAt).toEqual(new Date(onSent.kind === 'priced' ? onSent.at : ''));
    expect(foldCostEvent(pricedOnly, sent, now).reportedAt).toEqual(new Date(sent.sent_at));
  });

  it('decides billable with isBillable: regular is billed, free types are not, the old flag without a type', () => {
    const billableOf = (pricing: Record<string, unknown>) =>
      fold([priced('sent', '2026-10-20T00:00:00Z', pricing)])?.billable;
    expect(billableOf({ category: 'service', type: 'regular' })).toBe(true);
    expect(billableOf({ category: 'service', type: 'free_customer_service' })).toBe(false);
    expect(billableOf({ category: 'marketing', type: 'free_entry_point', billable: true })).toBe(false);
    expect(billableOf({ category: 'marketing', billable: true })).toBe(true);
    expect(billableOf({ category: 'marketing' })).toBe(false);
    expect(fold([sent])?.billable).toBeNull();
  });
});

describe('costCounts', () => {
  it('counts a send once, and a billable message once its agent is known, whatever the order', () => {
    for (const order of permutations([sent, onSent, onDelivered, sent])) {
      let row: MessageCost | null = null;
      const counted: unknown[] = [];
      for (const event of order) {
        const after = foldCostEvent(row, event, now);
        if (after !== row) counted.push(costCounts(row, after));
        row = after;
      }
      const all = counted.flatMap((counts) => Object.entries(counts as object));
      expect(all).toEqual(
        expect.arrayContaining([
          ['sent', { agent: '2', origin: 'agent' }],
          ['billable', { agent: '2', category: 'utility' }],
        ]),
      );
      expect(all).toHaveLength(2);
    }
  });

  it('labels sends without an agent `none` and never counts a free message as billable', () => {
    const notification = { ...sent, agent_id: null, origin: 'notification' as const };
    const free = priced('sent', '2026-10-20T00:00:01.000Z', {
      category: 'service',
      type: 'free_customer_service',
    });
    const first = foldCostEvent(null, notification, now);
    expect(costCounts(null, first)).toEqual({ sent: { agent: 'none', origin: 'notification' } });
    expect(costCounts(first, foldCostEvent(first, free, now))).toEqual({});
  });
});

describe('costPeriod', () => {
  it('defaults to the current UTC month', () => {
    expect(costPeriod({}, new Date('2026-02-14T23:30:00-05:00'))).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      start: new Date('2026-02-01T00:00:00Z'),
      end: new Date('2026-03-01T00:00:00Z'),
    });
  });

  it('completes a missing end with the month of the given one', () => {
    expect(costPeriod({ from: '2028-02-10' }, now)).toMatchObject({ from: '2028-02-10', to: '2028-02-29' });
    expect(costPeriod({ to: '2026-12-05' }, now)).toMatchObject({ from: '2026-12-01', to: '2026-12-05' });
    expect(costPeriod({ from: '2026-10-07', to: '2026-10-07' }, now)).toMatchObject({
      start: new Date('2026-10-07T00:00:00Z'),
      end: new Date('2026-10-08T00:00:00Z'),
    });
  });

  it('accepts 366 days and refuses 367, a reversed range and dates not on the calendar, by field', () => {
    expect(costPeriod({ from: '2028-01-01', to: '2028-12-31' }, now).to).toBe('2028-12-31');
    const refused = (query: { from?: string; to?: string }) => {
      try {
        costPeriod(query, now);
      } catch (error) {
        return {
          code: (error as { code: string }).code,
          fields: (error as { details: { fields: unknown } }).details.fields,
        };
      }
      throw new Error('accepted');
    };
    expect(refused({ from: '2026-01-01', to: '2027-01-02' })).toEqual({
      code: 'invalid_request',
      fields: [{ field: 'to', message: 'at most 366 days from from' }],
    });
    expect(refused({ from: '2026-10-02', to: '2026-10-01' }).fields).toEqual([
      { field: 'to', message: 'must not be before from' },
    ]);
    expect(refused({ from: '2026-02-30', to: '2026-13-01' }).fields).toEqual([
      { field: 'from', message: 'must be a calendar date, YYYY-MM-DD' },
      { field: 'to', message: 'must be a calendar date, YYYY-MM-DD' },
    ]);
  });
});

describe('costTotals', () => {
  it('sums messages and billable messages', () => {
    const row = { day: '2026-10-20', agent_id: null, agent_name: null, origin: null, category: null };
    expect(
      costTotals([
        { ...row, messages: 3, billable_messages: 1 },
        { ...row, messages: 2, billable_messages: 2 },
      ]),
    ).toEqual({ messages: 5, billable_messages: 3 });
  });
});
