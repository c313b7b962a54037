import {
  type BusinessNumberRecord,
  offersAgent,
  readNumberToken,
  throughputTiers,
} from '@wa-broker/shared/business-numbers';
import type { Logger } from '@wa-broker/shared/logger';
import type { NumberDirectory, SendingNumber } from '../domain/ports.js';

export interface NumberRegistrySettings {
  /** The deployment's own number (GRAPH_PHONE_NUMBER_ID, GRAPH_API_TOKEN, RATE_LIMIT_PER_NUMBER). */
  defaultNumber: SendingNumber;
  /** NUMBER_TOKEN_KEY: opens tokens the admin stored sealed. */
  tokenKey: string | undefined;
  /** Where `secret` tokens are read (process.env in main.ts). */
  secrets: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

interface KnownNumber {
  record: BusinessNumberRecord;
  sending: SendingNumber | null;
}

/**
 * The live business numbers, fed by the admin's compacted number-change topic (never by PostgreSQL). The
 * default number of the deployment's config always sends, unless the registry holds it too (then the registry's
 * settings win: an operator can give it agents and a tier). A token that cannot be read is logged (never the
 * token) and the number does not send: its users get the agent error, not a message from another number.
 */
export class NumberRegistry implements NumberDirectory {
  private readonly numbers = new Map<string, KnownNumber>();

  constructor(private readonly settings: NumberRegistrySettings) {}

  get defaultId(): string {
    return this.settings.defaultNumber.phoneNumberId;
  }

  apply(record: BusinessNumberRecord): void {
    this.numbers.set(record.phone_number_id, { record, sending: this.sendingOf(record) });
  }

  remove(phoneNumberId: string): void {
    this.numbers.delete(phoneNumberId);
  }

  sending(phoneNumberId: string): SendingNumber | null {
    const known = this.numbers.get(phoneNumberId);
    if (known) return known.record.active ? known.sending : null;
    return phoneNumberId === this.defaultId ? this.settings.defaultNumber : null;
  }

  /** The WABA of a registered number; null for the config's default number unless the admin registered it. */
  wabaOf(phoneNumberId: string): string | null {
    return this.numbers.get(phoneNumberId)?.record.waba_id ?? null;
  }

  offers(phoneNumberId: string, agentId: string): boolean {
    const known = this.numbers.get(phoneNumberId);
    return !known || offersAgent(known.record, Number(agentId));
  }

  private sendingOf(record: BusinessNumberRecord): SendingNumber | null {
    const token = this.tokenOf(record);
    if (!token) return null;
    const isDefault = record.phone_number_id === this.defaultId;
    const tier = throughputTiers[record.throughput_tier];
    return {
      phoneNumberId: record.phone_number_id,
      token,
      // The deployment's own limit for its default number stays a ceiling (tests and slow sandboxes set it).
      perSecond: isDefault ? Math.min(tier, this.settings.defaultNumber.perSecond) : tier,
    };
  }

  private tokenOf(record: BusinessNumberRecord): string | null {
    const read = readNumberToken(record.token, this.settings);
    if (read.ok) return read.token;
    const secret = read.secret ? { secret: read.secret } : {};
    this.settings.logger.error({ phone_number_id: record.phone_number_id, ...secret }, read.problem);
    return null;
  }
}
