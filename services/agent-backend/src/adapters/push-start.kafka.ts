import type { Admin } from 'kafkajs';

/**
 * Points a push group at the topics' current ends before it joins. A new group left to `latest` resolves its
 * offsets only at its first fetch, so events produced in between would reach no operator on this instance.
 */
export async function startGroupAtEnd(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<void> {
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
    });
  }
}
