/**
 * A business number's sends in Meta's window (the rule adapters/rate-limiter.redis.ts applies in Redis, on
 * Redis' clock). Meta refuses a send when the number's limit was accepted in the window before it
 * (`@wa-broker/shared/meta-throughput`), and a send reaches Meta at some moment between its start and its
 * answer. So each granted send holds a place in the window from its grant until `windowMs` after its answer
 * (while unanswered, its place counts as held: `pending`), and a send may start only once fewer than `limit`
 * other places are held: then any send reaches Meta at least `windowMs` after the send `limit` places before it,
 * whatever the jitter: exact, with no guard to guess. A number sends `limit` per (window + start to answer).
 *
 * A place that frees within `leadMs` is granted ahead, with the moment it frees as the send's start: the sender
 * does what it must before its Graph call (the claim's mark, the Redis round trip of the grant itself) while the
 * place frees, instead of after. Granted at the start, those milliseconds were added to every place's turn.
 *
 * Sends queued at once go at once, up to the limit (a burst Meta's window allows); later ones follow as places
 * free, so the pattern of the first window repeats, shifted by each round trip.
 */
/**
 * A granted send's place: `answeredAt` is when it was answered (Redis time, ms); while it is in flight, the
 * latest it can be answered (its grant + the Graph timeout), which is still ahead, so a sender that died
 * mid-call frees its place after that.
 */
export interface WindowPlace {
  answeredAt: number;
}

/** Granted: the send may reach Meta from `startMs` on (now, or when the place it takes frees). */
export type WindowDecision = { grant: true; startMs: number } | { grant: false; waitMs: number };

export function windowDecision(input: {
  places: readonly WindowPlace[];
  nowMs: number;
  limit: number;
  windowMs: number;
  /** How soon to look again when every place is held by a send still in flight. */
  pollMs: number;
  /** How far ahead a place that frees may be granted (0: only a free one). */
  leadMs: number;
}): WindowDecision {
  const { nowMs, windowMs } = input;
  // Places whose window has passed are free again; the rest free in the order they were answered.
  const held = input.places
    .map((p) => p.answeredAt)
    .filter((at) => at + windowMs > nowMs)
    .sort((a, b) => a - b);
  // With `held` places besides it, the send needs this many of them freed first.
  const needFreed = held.length + 1 - input.limit;
  if (needFreed <= 0) return { grant: true, startMs: nowMs };
  const freeing = held[needFreed - 1] as number;
  // Still in flight: its answer, and so the moment it frees, is not known yet.
  if (freeing > nowMs) return { grant: false, waitMs: input.pollMs };
  const freesAt = freeing + windowMs;
  if (freesAt <= nowMs + input.leadMs) return { grant: true, startMs: freesAt };
  return { grant: false, waitMs: freesAt - input.leadMs - nowMs };
}
