import { type BusinessNumberRecord, readNumberToken } from '@wa-broker/shared/business-numbers';
import type { Logger } from '@wa-broker/shared/logger';
import type { NumberTokens } from '../domain/ports.js';

/**
 * The Graph token of each business number, fed by the admin's compacted number-change topic, plus the
 * deployment's default number (GRAPH_PHONE_NUMBER_ID / GRAPH_API_TOKEN), as the router reads them.
 */
export class NumberTokenRegistry implements NumberTokens {
  private readonly tokens = new Map<string, string | null>();

  constructor(
    private readonly settings: {
      defaultNumber: { phoneNumberId: string; token: string };
      tokenKey: string | undefined;
      secrets: Readonly<Record<string, string | undefined>>;
      logger: Logger;
    },
  ) {}

  get defaultNumberId(): string {
    return this.settings.defaultNumber.phoneNumberId;
  }

  tokenFor(phoneNumberId: string): string | null {
    if (this.tokens.has(phoneNumberId)) return this.tokens.get(phoneNumberId) ?? null;
    return phoneNumberId === this.defaultNumberId ? this.settings.defaultNumber.token : null;
  }

  apply(record: BusinessNumberRecord): void {
    if (!record.active) {
      // A deleted number's files stay downloadable while Meta keeps them, with its last token.
      if (!this.tokens.has(record.phone_number_id)) this.tokens.set(record.phone_number_id, null);
      return;
    }
    const read = readNumberToken(record.token, this.settings);
    if (!read.ok) {
      const secret = read.secret ? { secret: read.secret } : {};
      this.settings.logger.error({ phone_number_id: record.phone_number_id, ...secret }, read.problem);
    }
    this.tokens.set(record.phone_number_id, read.ok ? read.token : null);
  }

  remove(phoneNumberId: string): void {
    this.tokens.delete(phoneNumberId);
  }
}
