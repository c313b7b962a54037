import { parseDelivery } from '../../src/domain/parse-delivery.js';
import type { PlannedRecord } from '../../src/domain/plan-delivery.js';
import { planDelivery } from '../../src/domain/plan-delivery.js';

// What the tests of planDelivery share: a body planned as the webhook route plans it, and Meta-shaped deliveries.

export const receivedAt = new Date('2025-10-24T10:00:00.000Z');

export function plan(body: Buffer | object): PlannedRecord[] {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return planDelivery(parseDelivery(raw), {
    rawBody: raw,
    signature: 'sha256=x',
    receivedAt,
    traceId: 't-1',
  });
}

export function events(records: PlannedRecord[]) {
  return records.flatMap((record) => (record.stream === 'events' ? [record] : []));
}

export function delivery(changes: object[], entry: object = {}) {
  return { object: 'whatsapp_business_account', entry: [{ id: '1022', changes, ...entry }] };
}

export const metadata = { display_phone_number: '15550009999', phone_number_id: '1065' };
