import { isBillable, type MessageCostEvent, type SendOrigin } from '@wa-broker/shared/pricing';
import { type FieldProblem, invalidCostQuery } from './errors.js';

/**
 * What one send cost (issue 19 §5): the router's `sent` record (who made it) and Meta's `pricing` from its
 * statuses, folded into one row per wamid. Both kinds arrive in any order and more than once, so the fold is
 * order-independent and idempotent: a field once known is never replaced by a later status's value, and the
 * pricing of the earliest status (Meta's `at`) wins over a later one's when both carry the same field.
 */
export interface MessageCost {
  wamid: string;
  phoneNumberId: string;
  /** The agent whose `-out` carried the send; null for notifications and the router's own, and until `sent`. */
  agentId: string | null;
  /** Null until the `sent` record. */
  origin: SendOrigin | null;
  messageType: string | null;
  template: { name: string; language: string } | null;
  /** When Meta accepted the send; null until the `sent` record. */
  sentAt: Date | null;
  /** Meta's time of the earliest status with pricing; null until one. */
  pricedAt: Date | null;
  pricing: {
    model: string | null;
    category: string | null;
    type: string | null;
    /** Meta's deprecated `billable` flag as received (null when absent). */
    metaBillable: boolean | null;
  };
  /** `isBillable` of the pricing; null until a status with pricing. */
  billable: boolean | null;
  /** The time whose UTC day the report counts it in: `sentAt`, or `pricedAt` while the send record is missing. */
  reportedAt: Date;
  updatedAt: Date;
}

const sameTime = (a: Date | null, b: Date | null) => (a === null ? b === null : a.getTime() === b?.getTime());

function fillSent(row: MessageCost, event: Extract<MessageCostEvent, { kind: 'sent' }>): MessageCost {
  // One send has one `sent` record (a redelivery is the same record): the first one stays.
  if (row.sentAt !== null) return row;
  const sentAt = new Date(event.sent_at);
  return {
    ...row,
    agentId: event.agent_id,
    origin: event.origin,
    messageType: event.message_type,
    template: event.template ? { name: event.template.name, language: event.template.language } : null,
    sentAt,
    reportedAt: sentAt,
  };
}

function fillPriced(row: MessageCost, event: Extract<MessageCostEvent, { kind: 'priced' }>): MessageCost {
  const at = new Date(event.at);
  const incoming = {
    model: event.pricing.pricing_model,
    category: event.pricing.category,
    type: event.pricing.type ?? null,
    metaBillable: event.pricing.billable ?? null,
  };
  const earlier = row.pricedAt === null || at.getTime() < row.pricedAt.getTime();
  const [first, then] = earlier ? [incoming, row.pricing] : [row.pricing, incoming];
  const pricing = {
    model: first.model ?? then.model,
    category: first.category ?? then.category,
    type: first.type ?? then.type,
    metaBillable: first.metaBillable ?? then.metaBillable,
  };
  const pricedAt = earlier ? at : row.pricedAt;
  return {
    ...row,
    pricedAt,
    pricing,
    billable: isBillable({
      pricing_model: pricing.model ?? '',
      category: pricing.category ?? '',
      ...(pricing.type === null ? {} : { type: pricing.type }),
      ...(pricing.metaBillable === null ? {} : { billable: pricing.metaBillable }),
    }),
    reportedAt: row.sentAt ?? pricedAt ?? row.reportedAt,
  };
}

function sameCost(a: MessageCost, b: MessageCost): boolean {
  return (
    a.phoneNumberId === b.phoneNumberId &&
    a.agentId === b.agentId &&
    a.origin === b.origin &&
    a.messageType === b.messageType &&
    a.template?.name === b.template?.name &&
    a.template?.language === b.template?.language &&
    sameTime(a.sentAt, b.sentAt) &&
    sameTime(a.pricedAt, b.pricedAt) &&
    a.pricing.model === b.pricing.model &&
    a.pricing.category === b.pricing.category &&
    a.pricing.type === b.pricing.type &&
    a.pricing.metaBillable === b.pricing.metaBillable &&
    a.billable === b.billable &&
    sameTime(a.reportedAt, b.reportedAt)
  );
}

/**
 * The row after one record: `row` itself (same object) when the record adds nothing, so a redelivery writes
 * nothing and `updatedAt` stays.
 */
export function foldCostEvent(row: MessageCost | null, event: MessageCostEvent, now: Date): MessageCost {
  const base: MessageCost = row ?? {
    wamid: event.wamid,
    phoneNumberId: event.phone_number_id,
    agentId: null,
    origin: null,
    messageType: null,
    template: null,
    sentAt: null,
    pricedAt: null,
    pricing: { model: null, category: null, type: null, metaBillable: null },
    billable: null,
    reportedAt: new Date(event.kind === 'sent' ? event.sent_at : event.at),
    updatedAt: now,
  };
  const next = event.kind === 'sent' ? fillSent(base, event) : fillPriced(base, event);
  if (row !== null && sameCost(row, next)) return row;
  return { ...next, updatedAt: now };
}

/** Label of a send without an agent (notifications, the router's menu) in the counters. */
export const noAgentLabel = 'none';

export interface CostCounts {
  /** The row got its send record with this change: count it once in `wa_messages_sent_total`. */
  sent?: { agent: string; origin: SendOrigin };
  /** The row is now both sent (its agent known) and billable for the first time: `wa_messages_billable_total`. */
  billable?: { agent: string; category: string };
}

const isCountedBillable = (row: MessageCost | null) =>
  row !== null && row.sentAt !== null && row.billable === true;

/**
 * What a change adds to the counters; the store decides `before` under a row lock, so each wamid is counted
 * once however often its records are delivered. A billable message is counted once its agent is known.
 */
export function costCounts(before: MessageCost | null, after: MessageCost): CostCounts {
  const agent = after.agentId ?? noAgentLabel;
  const counts: CostCounts = {};
  if ((before?.sentAt ?? null) === null && after.sentAt !== null && after.origin !== null)
    counts.sent = { agent, origin: after.origin };
  if (!isCountedBillable(before) && isCountedBillable(after))
    counts.billable = { agent, category: after.pricing.category ?? 'unknown' };
  return counts;
}

/** A report's days, `YYYY-MM-DD` (UTC) both included, and the instants they span (`end` excluded). */
export interface CostPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** At most a leap year of days in one report. */
export const maxReportDays = 366;
const dayMs = 86_400_000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(value: string): Date | null {
  const match = datePattern.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // 2026-02-30 rolls over to March: not a calendar date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date;
}

const formatDay = (date: Date) => date.toISOString().slice(0, 10);
const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
const monthEnd = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0));

/**
 * The report's period from `from`/`to` (both optional): neither → the current month (UTC); only `from` → to the
 * end of its month; only `to` → from the start of its month. Refused (400, by field): a date that is not
 * `YYYY-MM-DD` on the calendar, `from` after `to`, more than 366 days.
 */
export function costPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): CostPeriod {
  const problems: FieldProblem[] = [];
  const parsed = (field: 'from' | 'to') => {
    const value = query[field];
    if (value === undefined) return undefined;
    const date = parseDay(value);
    if (date === null) problems.push({ field, message: 'must be a calendar date, YYYY-MM-DD' });
    return date;
  };
  const givenFrom = parsed('from');
  const givenTo = parsed('to');
  if (problems.length > 0) throw invalidCostQuery(problems);
  const from = givenFrom ?? monthStart(givenTo ?? now);
  const to = givenTo ?? monthEnd(givenFrom ?? now);
  if (from.getTime() > to.getTime())
    throw invalidCostQuery([{ field: 'to', message: 'must not be before from' }]);
  const days = (to.getTime() - from.getTime()) / dayMs + 1;
  if (days > maxReportDays)
    throw invalidCostQuery([{ field: 'to', message: `at most ${maxReportDays} days from from` }]);
  return { from: formatDay(from), to: formatDay(to), start: from, end: new Date(to.getTime() + dayMs) };
}

/** One line of the report: a UTC day, an agent, an origin and a pricing category. */
export interface CostReportRow {
  day: string;
  agent_id: string | null;
  agent_name: string | null;
  /** Null while the send record is missing (only a status's pricing arrived). */
  origin: SendOrigin | null;
  /** Null while no status with pricing arrived. */
  category: string | null;
  messages: number;
  billable_messages: number;
}

export function costTotals(rows: readonly CostReportRow[]): { messages: number; billable_messages: number } {
  return rows.reduce(
    (sum, row) => ({
      messages: sum.messages + row.messages,
      billable_messages: sum.billable_messages + row.billable_messages,
    }),
    { messages: 0, billable_messages: 0 },
  );
}
