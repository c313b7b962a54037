import type { BusinessNumberRecord } from '@wa-broker/shared/business-numbers';
import type { BusinessNumber } from './business-number.js';

/** The number-change events' form: the full record with the token sealed (`stored`) or named (`secret`). */
export function toNumberRecord(number: BusinessNumber): BusinessNumberRecord {
  return {
    phone_number_id: number.phoneNumberId,
    waba_id: number.wabaId,
    display_phone_number: number.displayPhoneNumber,
    name: number.name,
    token: number.token,
    throughput_tier: number.throughputTier,
    agent_ids: number.agentIds,
    active: number.active,
    created_at: number.createdAt.toISOString(),
    updated_at: number.updatedAt.toISOString(),
  };
}

/** What the REST API shows: where the token comes from, never the token nor its ciphertext. */
export interface NumberView extends Omit<BusinessNumberRecord, 'token'> {
  token_source: BusinessNumberRecord['token']['source'];
  /** The environment variable the router reads the token from; null for a stored token. */
  token_secret: string | null;
}

export function toNumberView(number: BusinessNumber): NumberView {
  const { token, ...record } = toNumberRecord(number);
  return {
    phone_number_id: record.phone_number_id,
    waba_id: record.waba_id,
    display_phone_number: record.display_phone_number,
    name: record.name,
    token_source: token.source,
    token_secret: token.source === 'secret' ? token.name : null,
    throughput_tier: record.throughput_tier,
    agent_ids: record.agent_ids,
    active: record.active,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
