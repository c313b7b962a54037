import { userKeyOf } from '@wa-broker/shared/user-identity';
import {
  type ActivityEvent,
  type ActivityField,
  activityFields,
  type BusinessEvent,
  type ErrorEvent,
  type KnownMessageType,
  knownMessageSchemas,
  type MessageEvent,
  type MessageType,
  type MetaMetadata,
  rawDeliveryHeaders,
  type StatusEvent,
  WEBHOOK_EVENT_VERSION,
  WebhookEvent,
} from '@wa-broker/shared/webhook-events';
import { identifyParticipant, identifyRecipient, identifySender } from './identify-user.js';
import { asObject, asObjects, asString, type JsonObject, unixSecondsToIso } from './meta-values.js';
import type { Delivery } from './parse-delivery.js';

export type PlannedRecord =
  | { stream: 'events'; key: string; value: WebhookEvent }
  | { stream: 'business'; key: string; value: BusinessEvent }
  | { stream: 'raw'; key: string; value: Buffer; headers: Record<string, string> };

export interface DeliveryContext {
  rawBody: Buffer;
  signature: string;
  receivedAt: Date;
  traceId: string;
}

interface ChangeContext {
  trace_id: string;
  received_at: string;
  waba_id: string | null;
  phone_number_id: string | null;
  metadata: MetaMetadata | null;
}

/**
 * Splits one verified delivery into what must be in Kafka before we answer 200: one event per message, status
 * and error item across every entry and change, one business event per other change, and the raw body.
 */
export function planDelivery(delivery: Delivery, context: DeliveryContext): PlannedRecord[] {
  const receivedAt = context.receivedAt.toISOString();
  const records: PlannedRecord[] = [];
  let firstPhoneNumberId: string | undefined;
  let firstWabaId: string | undefined;
  for (const entry of asObjects(delivery.entry)) {
    const wabaId = asString(entry.id) ?? null;
    firstWabaId ??= wabaId ?? undefined;
    for (const change of asObjects(entry.changes)) {
      const value = asObject(change.value);
      const metadata = readMetadata(value?.metadata);
      firstPhoneNumberId ??= metadata?.phone_number_id;
      const base: ChangeContext = {
        trace_id: context.traceId,
        received_at: receivedAt,
        waba_id: wabaId,
        phone_number_id: metadata?.phone_number_id ?? null,
        metadata,
      };
      const items = !value
        ? []
        : change.field === 'messages'
          ? planMessagesChange(value, base)
          : isActivityField(change.field)
            ? planActivityChange(change.field, value, base)
            : [];
      // An activity item naming no user cannot reach an agent: the whole change goes to the business topic too.
      const isUserless = (record: PlannedRecord) =>
        record.stream === 'events' && record.value.kind === 'activity' && record.value.user === null;
      const routed = items.filter((record) => !isUserless(record));
      records.push(...routed);
      if (routed.length === 0 || items.some(isUserless)) records.push(planBusinessEvent(entry, change, base));
    }
  }
  records.push({
    stream: 'raw',
    key: firstPhoneNumberId ?? firstWabaId ?? 'unknown',
    value: context.rawBody,
    headers: {
      [rawDeliveryHeaders.signature]: context.signature,
      [rawDeliveryHeaders.receivedAt]: receivedAt,
      [rawDeliveryHeaders.traceId]: context.traceId,
    },
  });
  return records;
}

function planMessagesChange(value: JsonObject, base: ChangeContext): PlannedRecord[] {
  const contacts = asObjects(value.contacts);
  const records: PlannedRecord[] = [];
  asObjects(value.messages).forEach((item, index) => {
    records.push(eventRecord(messageEvent(item, base, identifySender(item, contacts, index)), base));
  });
  for (const item of asObjects(value.statuses)) {
    const event: StatusEvent = {
      ...envelope(base, item.timestamp),
      ...identifyRecipient(item, contacts),
      kind: 'status',
      item: item as StatusEvent['item'],
    };
    records.push(eventRecord(event, base));
  }
  for (const item of asObjects(value.errors)) {
    const event: ErrorEvent = {
      ...envelope(base, undefined),
      user: null,
      contact: null,
      kind: 'error',
      item: item as ErrorEvent['item'],
    };
    records.push(eventRecord(event, base));
  }
  return records;
}

const isActivityField = (field: unknown): field is ActivityField =>
  typeof field === 'string' && (activityFields as readonly string[]).includes(field);

/**
 * One `activity` event per item of a 2025–2026 field about a user (meta-2026-changes.md §1.5, §1.8), keyed by the
 * user so it stays in order with their messages: `calls[]`, `message_echoes[]` (the business wrote from the
 * Business app: the user is the recipient), `standby`'s messages and echoes, and a handover as a whole.
 */
function planActivityChange(field: ActivityField, value: JsonObject, base: ChangeContext): PlannedRecord[] {
  const contacts = asObjects(value.contacts);
  // Echoes are what the business sent: the user is their recipient.
  const items: [JsonObject, boolean][] =
    field === 'calls'
      ? asObjects(value.calls).map((item) => [item, false])
      : field === 'messaging_handovers'
        ? [[value, false]]
        : [
            ...asObjects(value.messages).map((item): [JsonObject, boolean] => [item, false]),
            ...asObjects(value.message_echoes).map((item): [JsonObject, boolean] => [item, true]),
          ];
  return items.map(([item, sentByBusiness]) => {
    const who = identifyParticipant(item, contacts, sentByBusiness);
    const event: ActivityEvent = {
      ...envelope(base, item.timestamp),
      ...who,
      kind: 'activity',
      field,
      item: item as ActivityEvent['item'],
    };
    return eventRecord(event, base);
  });
}

/**
 * The webhook topic carries only events its contract accepts. An item of the wrong shape (an `id` that is not a
 * string, a status without `status`, an error without a numeric `code`: never Meta, but a fuzzer or a bug) goes
 * whole to the business topic as field `invalid_item`, so consumers never park it as poison and nothing is lost.
 */
function eventRecord(event: WebhookEvent, base: ChangeContext): PlannedRecord {
  if (WebhookEvent.safeParse(event).success) return { stream: 'events', key: eventKey(event), value: event };
  const value: BusinessEvent = {
    v: WEBHOOK_EVENT_VERSION,
    kind: 'business',
    field: 'invalid_item',
    trace_id: base.trace_id,
    received_at: base.received_at,
    entry_time: null,
    waba_id: base.waba_id,
    phone_number_id: base.phone_number_id,
    value: event.item,
  };
  return { stream: 'business', key: base.phone_number_id ?? base.waba_id ?? 'unknown', value };
}

function messageEvent(
  item: JsonObject,
  base: ChangeContext,
  who: ReturnType<typeof identifySender>,
): MessageEvent {
  return {
    ...envelope(base, item.timestamp),
    ...who,
    kind: 'message',
    message_type: classifyMessage(item),
    item,
  } as MessageEvent;
}

/** The item's own type when it matches that type's schema; `unknown` (passed through whole) otherwise. */
export function classifyMessage(item: JsonObject): MessageType {
  const type = item.type;
  if (typeof type !== 'string' || !Object.hasOwn(knownMessageSchemas, type)) return 'unknown';
  return knownMessageSchemas[type as KnownMessageType].safeParse(item).success
    ? (type as KnownMessageType)
    : 'unknown';
}

function planBusinessEvent(entry: JsonObject, change: JsonObject, base: ChangeContext): PlannedRecord {
  const value: BusinessEvent = {
    v: WEBHOOK_EVENT_VERSION,
    kind: 'business',
    field: asString(change.field) ?? '(missing)',
    trace_id: base.trace_id,
    received_at: base.received_at,
    entry_time: unixSecondsToIso(entry.time),
    waba_id: base.waba_id,
    phone_number_id: base.phone_number_id,
    value: change.value ?? null,
  };
  return { stream: 'business', key: base.phone_number_id ?? base.waba_id ?? 'unknown', value };
}

function envelope(base: ChangeContext, timestamp: unknown) {
  return { v: WEBHOOK_EVENT_VERSION, ...base, occurred_at: unixSecondsToIso(timestamp) };
}

/** Per-user order needs the user as key; system errors have no user and go by business number. */
function eventKey(event: WebhookEvent): string {
  return userKeyOf(event.user) ?? event.phone_number_id ?? event.waba_id ?? 'unknown';
}

function readMetadata(value: unknown): MetaMetadata | null {
  const metadata = asObject(value);
  const phoneNumberId = asString(metadata?.phone_number_id);
  if (!metadata || phoneNumberId === undefined) return null;
  return { ...metadata, phone_number_id: phoneNumberId } as MetaMetadata;
}

/** Records per kind (message, status, error, business, raw), for the published-events metric. */
export function countByKind(records: readonly PlannedRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const kind = record.stream === 'events' ? record.value.kind : record.stream;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}
