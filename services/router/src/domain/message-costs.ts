import { type MessageCostEvent, messagePricing, type SendOrigin } from '@wa-broker/shared/pricing';
import type { OutRecord } from './ports.js';

/**
 * The cost report's inputs (issue 19 §5; meta-2026-changes.md §1.3), keyed by wamid on `message-costs`: who
 * made each send Meta accepted, and each status's `pricing`. The report (admin) joins them on wamid.
 */
export function sentCostRecord(
  topic: string,
  sent: {
    wamid: string;
    phoneNumberId: string;
    agentId: string | null;
    origin: SendOrigin;
    body: { type: string; template?: { name: string; language: { code: string } } };
    at: Date;
  },
): OutRecord {
  const value: MessageCostEvent = {
    v: 1,
    kind: 'sent',
    wamid: sent.wamid,
    phone_number_id: sent.phoneNumberId,
    agent_id: sent.agentId,
    origin: sent.origin,
    message_type: sent.body.type,
    ...(sent.body.template
      ? { template: { name: sent.body.template.name, language: sent.body.template.language.code } }
      : {}),
    sent_at: sent.at.toISOString(),
  };
  return { topic, key: sent.wamid, value };
}

/** A `priced` record for a status that carries Meta's `pricing`, or null (no pricing, or not one we read). */
export function pricedCostRecord(
  topic: string,
  status: { wamid: string; status: string; phoneNumberId: string; pricing: unknown; at: Date },
): OutRecord | null {
  const pricing = messagePricing.safeParse(status.pricing);
  if (!pricing.success) return null;
  const value: MessageCostEvent = {
    v: 1,
    kind: 'priced',
    wamid: status.wamid,
    phone_number_id: status.phoneNumberId,
    status: status.status,
    pricing: pricing.data,
    at: status.at.toISOString(),
  };
  return { topic, key: status.wamid, value };
}
