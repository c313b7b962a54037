import type { Admin } from 'kafkajs';

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The topics' current ends, for a push group to seek to once it runs. A new group left to `latest` resolves its
 * offsets only at its first fetch, so events produced in between would reach no operator on this instance.
 * (Setting the group's offsets with the admin API instead costs ~10 s for a group that does not exist yet.)
 */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
  const ends = await Promise.all(
    topics.map(async (topic) =>
      (await fetchOffsets(admin, topic)).map(({ partition, high }) => ({
        topic,
        partition,
        offset: high,
      })),
    ),
  );
  return ends.flat();
}

// Just after creation a partition can have a leader in the metadata that does not serve ListOffsets yet
// (NOT_LEADER_FOR_PARTITION); kafkajs marks such errors retriable but this admin call does not retry them.
async function fetchOffsets(admin: Admin, topic: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      const isRetriable = (error as { retriable?: boolean }).retriable === true;
      if (!isRetriable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
