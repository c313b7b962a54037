import { readNumberToken } from '@wa-broker/shared/business-numbers';
import type { Logger } from '@wa-broker/shared/logger';
import type { NumberStore, WabaTokens } from '../domain/ports.js';

/**
 * The WABAs of the active business numbers and a token for each: the first active number of the WABA (oldest
 * first) whose token opens (`readNumberToken`: sealed with NUMBER_TOKEN_KEY, or the named environment variable).
 */
export function createWabaTokens(deps: {
  numbers: NumberStore;
  tokenKey: string;
  secrets: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}): WabaTokens {
  const active = async () => (await deps.numbers.all()).filter((number) => number.active);
  return {
    async wabaIds() {
      return [...new Set((await active()).map((number) => number.wabaId))];
    },
    async tokenFor(wabaId) {
      for (const number of await active()) {
        if (number.wabaId !== wabaId) continue;
        const read = readNumberToken(number.token, {
          tokenKey: deps.tokenKey,
          secrets: deps.secrets,
        });
        if (read.ok) return read.token;
        deps.logger.warn(
          {
            phone_number_id: number.phoneNumberId,
            waba_id: wabaId,
            ...(read.secret ? { secret: read.secret } : {}),
          },
          read.problem,
        );
      }
      return null;
    },
  };
}
