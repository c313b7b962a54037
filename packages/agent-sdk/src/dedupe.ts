/**
 * Remembers which events were handled, so a redelivered event (Kafka is at-least-once) is not handled twice.
 * Implement it over Redis or a database to dedupe across restarts; the default is in memory.
 */
export interface DedupeStore {
  /** Whether the event was already handled. */
  has(eventId: string): Promise<boolean> | boolean;
  /** Called after the handler resolved, before the offset is committed. */
  add(eventId: string): Promise<void> | void;
}

export interface MemoryDedupeOptions {
  /** The oldest ids are forgotten beyond this many (default 10,000). */
  maxEntries?: number;
  /** Ids are forgotten after this long (default 24 h). */
  ttlMs?: number;
  now?: () => number;
}

/** An in-process store: dedupes redeliveries within one process's lifetime (rebalances, retried batches). */
export function memoryDedupeStore(options: MemoryDedupeOptions = {}): DedupeStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const ttlMs = options.ttlMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, so the first key is always the oldest.
  const seen = new Map<string, number>();
  return {
    has(eventId) {
      const at = seen.get(eventId);
      if (at === undefined) return false;
      if (now() - at < ttlMs) return true;
      seen.delete(eventId);
      return false;
    },
    add(eventId) {
      seen.delete(eventId);
      seen.set(eventId, now());
      while (seen.size > maxEntries) {
        const oldest = seen.keys().next();
        if (oldest.done) break;
        seen.delete(oldest.value);
      }
    },
  };
}
