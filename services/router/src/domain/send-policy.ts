import type { AgentErrorCode } from '@wa-broker/shared/agent-errors';

/** What to do after a failed Graph API call, by Meta's error code (never by HTTP status alone). */
export type SendFailureAction = 'retry' | 'window_closed' | 'permanent';

const retryableCodes = new Set([130429, 131056, 131000, 131016, 131057, 80007, 4, 1, 2]);

export interface SendFailure {
  /** undefined for a timeout or a connection error. */
  httpStatus?: number;
  metaCode?: number;
}

export function classifySendFailure(failure: SendFailure): SendFailureAction {
  if (failure.metaCode === 131047) return 'window_closed';
  if (failure.metaCode !== undefined && retryableCodes.has(failure.metaCode)) return 'retry';
  if (failure.httpStatus === undefined || failure.httpStatus >= 500) return 'retry';
  return failure.metaCode === undefined && failure.httpStatus === 429 ? 'retry' : 'permanent';
}

/** What an agent is told when Meta refuses a free-form message because the 24 h window is closed. */
export const windowClosedText =
  'Meta refused the message: the 24 h window is closed, send a template instead';

/**
 * The agent's error for a `failed` status. Meta reports 131047 either as the send's 400 or, after a 200, as a
 * failed status (whatsapp-cloud-api.md §6: "Handle both paths"): both reach the agent as `window_closed`.
 */
export function failedStatusError(metaError: { code: number; title: string; details?: string } | undefined): {
  code: AgentErrorCode;
  text: string;
} {
  if (metaError?.code === 131047) return { code: 'window_closed', text: windowClosedText };
  const text = metaError
    ? `Meta could not deliver the message: ${metaError.details ?? metaError.title} (${metaError.code})`
    : 'Meta could not deliver the message';
  return { code: 'delivery_failed', text };
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with jitter: doubling per attempt, or Meta's 4^X for the pair limit (131056), capped,
 * then spread over [50 %, 100 %] so instances that failed together do not retry together. `random` in [0, 1).
 */
export function backoffDelayMs(
  attempt: number,
  metaCode: number | undefined,
  settings: BackoffSettings,
  random: number,
): number {
  const factor = metaCode === 131056 ? 4 : 2;
  const capped = Math.min(settings.maxMs, settings.baseMs * factor ** attempt);
  return Math.round(capped * (0.5 + random / 2));
}
