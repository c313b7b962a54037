/** A latency distribution in milliseconds (null when there were no samples). */
export interface Latency {
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

/** p50, p90, p99 and max of `samples` (nearest rank). */
export function latencyOf(samples: number[]): Latency {
  if (samples.length === 0) return { p50_ms: null, p90_ms: null, p99_ms: null, max_ms: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: sorted.at(-1) as number };
}

/** Each hop's share of the two trips, from the records' timestamps (hop-times.ts). */
export interface Hops {
  simulator_to_webhook_record: Latency;
  webhook_record_to_agent_record: Latency;
  agent_record_to_operator: Latency;
  operator_to_reply_record: Latency;
  /** `send_reply` to `reply_accepted`: the agent backend stored the reply and Kafka acknowledged its record. */
  operator_to_reply_accepted: Latency;
  reply_record_to_phone: Latency;
  /** `reply_accepted` to the phone: the router's share, from a record Kafka has (its commit wait included). */
  reply_accepted_to_phone: Latency;
}
