import type { Admin } from 'kafkajs';

/** One group's committed offsets to carry over to a new group id. */
export interface GroupOffsetsCopy {
  from: string;
  to: string;
}

/**
 * `old=new,old2=new2` (COPY_GROUP_OFFSETS): upgrading renames consumer groups (an agent's groups must start with
 * `<slug>:`), and a new shared group would read its topics from the beginning — an agent would handle every old
 * event again. Throws on a malformed pair, naming it.
 */
export function parseGroupCopies(text: string | undefined): GroupOffsetsCopy[] {
  if (!text) return [];
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [from, to, ...rest] = pair.split('=');
      if (!from || !to || rest.length > 0 || from === to)
        throw new Error(`COPY_GROUP_OFFSETS: '${pair}' is not <old group>=<new group>`);
      return { from, to };
    });
}

/**
 * Commits `from`'s offsets as `to`'s, for every topic `from` has offsets on, unless `to` already has offsets there
 * (a rerun never moves a group back). The new group must have no members (run it before the services start).
 * Resolves with what was copied, per topic.
 */
export async function copyGroupOffsets(admin: Admin, copy: GroupOffsetsCopy): Promise<string[]> {
  const source = await admin.fetchOffsets({ groupId: copy.from });
  const target = await admin.fetchOffsets({ groupId: copy.to });
  const started = new Set(
    target
      .filter(({ partitions }) => partitions.some(({ offset }) => Number(offset) >= 0))
      .map(({ topic }) => topic),
  );
  const copied: string[] = [];
  for (const { topic, partitions } of source) {
    const committed = partitions.filter(({ offset }) => Number(offset) >= 0);
    if (committed.length === 0 || started.has(topic)) continue;
    await admin.setOffsets({
      groupId: copy.to,
      topic,
      partitions: committed.map(({ partition, offset }) => ({ partition, offset })),
    });
    copied.push(topic);
  }
  return copied;
}
