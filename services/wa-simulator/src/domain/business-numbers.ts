import { type MetaError, metaErrors } from './meta-errors.js';
import type { BusinessNumber } from './webhook-payloads.js';

/**
 * One business number the simulator serves (issue 17 §2): its ids, the bearer tokens its Graph endpoints accept
 * and its own throughput (meta-2026-changes.md §1.9: 80 messages/s by default, 1,000 after Meta's upgrade).
 * Every number's webhooks go to the one webhook URL, as Meta delivers every number of the app's WABAs there.
 */
export interface SimNumber extends BusinessNumber {
  accessTokens: readonly string[];
  throughputPerSecond: number;
}

/** What `GET /sim/numbers` shows of a number: never its tokens. */
export function publicNumber(number: SimNumber): Record<string, unknown> {
  return {
    phone_number_id: number.phoneNumberId,
    display_phone_number: number.displayPhoneNumber,
    waba_id: number.wabaId,
    throughput_per_second: number.throughputPerSecond,
  };
}

/** The bearer token of an `Authorization` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
}

export type NumberAccess = { ok: true; number: SimNumber } | { ok: false; error: MetaError };

/**
 * The numbers in configuration order; the first is the default (`SIM_PHONE_NUMBER_ID`), the one a simulated
 * user writes to unless they name another.
 */
export class NumberDirectory {
  private readonly byId: ReadonlyMap<string, SimNumber>;

  constructor(readonly all: readonly [SimNumber, ...SimNumber[]]) {
    this.byId = new Map(all.map((number) => [number.phoneNumberId, number]));
    if (this.byId.size !== all.length)
      throw new Error('business numbers must have distinct phone_number_ids');
  }

  get first(): SimNumber {
    return this.all[0];
  }

  find(phoneNumberId: string): SimNumber | undefined {
    return this.byId.get(phoneNumberId);
  }

  /** A token no number accepts is Graph's bare 190, whatever the path names (checked first, as before). */
  knowsToken(authorization: string | undefined): boolean {
    const token = bearerToken(authorization);
    return token !== undefined && this.all.some((number) => number.accessTokens.includes(token));
  }

  /**
   * `/{phone-number-id}/…`: a token no number accepts → 190; an id that is no number → 100/33; a token of
   * another number → 190, as the simulator answers a bad token.
   */
  access(phoneNumberId: string, authorization: string | undefined): NumberAccess {
    if (!this.knowsToken(authorization)) return { ok: false, error: metaErrors.invalidToken() };
    const number = this.find(phoneNumberId);
    if (!number) return { ok: false, error: metaErrors.unknownPhoneNumber(phoneNumberId) };
    return this.mayUse(number, authorization)
      ? { ok: true, number }
      : { ok: false, error: metaErrors.invalidToken() };
  }

  /** The WABAs of the configured numbers, each once, the first number's first. */
  get wabaIds(): string[] {
    return [...new Set(this.all.map((number) => number.wabaId))];
  }

  /**
   * `/{waba-id}/…` (templates): as for a number, a token no number accepts → 190, an id that is no WABA of a
   * configured number → 100/33, a token of none of that WABA's numbers → 190.
   */
  accessWaba(
    wabaId: string,
    authorization: string | undefined,
    method: 'get' | 'post' | 'delete',
  ): { ok: true } | { ok: false; error: MetaError } {
    if (!this.knowsToken(authorization)) return { ok: false, error: metaErrors.invalidToken() };
    const numbers = this.all.filter((number) => number.wabaId === wabaId);
    if (numbers.length === 0) return { ok: false, error: metaErrors.unknownObject(wabaId, method) };
    return numbers.some((number) => this.mayUse(number, authorization))
      ? { ok: true }
      : { ok: false, error: metaErrors.invalidToken() };
  }

  /** Whether the header's token is one of this number's. */
  mayUse(number: SimNumber, authorization: string | undefined): boolean {
    const token = bearerToken(authorization);
    return token !== undefined && number.accessTokens.includes(token);
  }
}
