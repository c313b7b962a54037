import type { Admin } from 'kafkajs';

/** The topics to delete: their names, or a test of each existing topic's name (e.g. its run's unique prefix). */
export type TopicSelection = Iterable<string> | ((topic: string) => boolean);

/**
 * Deletes the topics a test created, so runs do not pile up partition folders in the shared Kafka (three CI runs
 * once left ~1,900 of them, which slowed every later test and benchmark). Call it in `afterAll`, once the
 * consumers and producers of those topics have stopped. Names already gone are skipped and internal topics
 * (`__consumer_offsets`, …) never match. Resolves with the names deleted.
 */
export async function deleteTestTopics(
  admin: Admin,
  selection: TopicSelection,
  timeoutMs = 30_000,
): Promise<string[]> {
  const wanted = typeof selection === 'function' ? selection : nameSet(selection);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doomed = (await admin.listTopics()).filter((topic) => !topic.startsWith('__') && wanted(topic));
    if (doomed.length === 0) return [];
    try {
      await admin.deleteTopics({ topics: doomed, timeout: Math.max(1000, deadline - Date.now()) });
      return doomed;
    } catch (error) {
      // Another cleanup may have deleted one of them since the listing: list again and delete the rest.
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function nameSet(names: Iterable<string>): (topic: string) => boolean {
  const set = new Set(names);
  return (topic) => set.has(topic);
}
