/**
 * A business number's sends in Meta's window (the rule adapters/rate-limiter.redis.ts applies in Redis, on
 * Redis' clock). Meta refuses a send when the number's limit was accepted in the window before it
 * (`@wa-broker/shared/meta-throughput`), and a send reaches Meta at some moment between its grant and its
 * answer. So each granted send holds a place in the window from its grant until `windowMs` after its answer
 * (while unanswered, its place counts as held: `pending`), and a send is granted only while fewer than `limit`
 * places are held. Then any send reaches Meta at least `windowMs` after the send `limit` places before it,
 * whatever the jitter: exact, with no guard to guess. A number sends `limit` per (window + round trip).
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

export type WindowDecision = { grant: true } | { grant: false; waitMs: number };

export function windowDecision(input: {
  places: readonly WindowPlace[];
  nowMs: number;
  limit: number;
  windowMs: number;
  /** How soon to look again when every place is held by a send still in flight. */
  pollMs: number;
}): WindowDecision {
  const { nowMs, windowMs } = input;
  // Places whose window has passed are free again.
  const held = input.places.map((p) => p.answeredAt).filter((at) => at + windowMs > nowMs);
  if (held.length < input.limit) return { grant: true };
  // The first place to free is the earliest answered one's; with every send still in flight, an answer is near.
  const earliest = Math.min(...held);
  return { grant: false, waitMs: earliest > nowMs ? input.pollMs : earliest + windowMs - nowMs };
}
