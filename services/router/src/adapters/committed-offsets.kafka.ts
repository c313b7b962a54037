import type { Admin } from 'kafkajs';

/**
 * How long a committed offset is given to settle. A transaction's offsets become the group's committed offset
 * only when the group coordinator handles the commit marker, which it does asynchronously after the transaction
 * completed; until then an offset fetch returns the previous offset. Kafka's answer to that is OffsetFetch v7's
 * `require_stable` (KIP-447), which kafkajs (OffsetFetch ≤ v4) cannot send. Right after a broker restart that
 * lag was long enough for a router to take a committed batch for an uncommitted one and publish it again; with
 * one broker of three killed it was once longer than 1 s (a new owner republished a batch the old owner's
 * transaction had committed: two copies in an `-in` topic, fault suite, issue 17's session). 3 s covers the
 * group coordinator moving to another broker; the real fix is `require_stable` (a client that sends it, #22).
 * The wait is paid only when a checkpoint overlaps the fetched offsets (after a crash or a failed transaction).
 */
export const committedOffsetSettleMs = 3000;

/**
 * The group's committed offset of a partition (null when none), read twice `settleMs` apart and the later
 * (higher) one kept: committed offsets only move forward, and a read made before the coordinator applied a
 * completed transaction's offsets is the only way to see an older one. `known` is what this process committed
 * itself (partition-transactions.kafka.ts): certain, and the answer when the group still shows an older offset.
 * Used only when a router sees offsets its checkpoint already covers (after a crash or a failed transaction),
 * so the wait costs nothing in normal flow.
 */
export function committedOffsetReader(
  admin: Admin,
  groupId: string,
  options: { settleMs?: number; known?: (topic: string, partition: number) => bigint | null } = {},
) {
  const settleMs = options.settleMs ?? committedOffsetSettleMs;
  const read = async (topic: string, partition: number) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offset = offsets?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined || offset === '-1' ? null : BigInt(offset);
  };
  return async (topic: string, partition: number): Promise<string | null> => {
    const first = await read(topic, partition);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const second = await read(topic, partition);
    const highest = [first, second, options.known?.(topic, partition) ?? null].reduce<bigint | null>(
      (max, offset) => (offset !== null && (max === null || offset > max) ? offset : max),
      null,
    );
    return highest === null ? null : String(highest);
  };
}

type OffsetLookup = (topic: string, partition: number) => Promise<string | null>;

/**
 * The group's committed offset as the recovery check needs it (inbound-batch.ts), when the group keeps a commit
 * log (commit-log.kafka.ts). The log's last committed record is exact once this process has initialised the
 * partition's transactional id, which it has before any batch of the partition is routed; the group
 * coordinator's answer, read at once, can only lag behind it, and is kept when higher (a log left behind by an
 * older release that wrote none). A log with no record for the partition (a group that committed nothing since
 * the log exists) leaves the answer to the coordinator, read `settleMs` apart as before.
 */
export function committedOffsetOf(sources: {
  logOffset: (topic: string, partition: number) => Promise<bigint | null>;
  groupOffsetNow: OffsetLookup;
  groupOffsetSettled: OffsetLookup;
}): OffsetLookup {
  return async (topic, partition) => {
    const logged = await sources.logOffset(topic, partition);
    if (logged === null) return sources.groupOffsetSettled(topic, partition);
    const now = await sources.groupOffsetNow(topic, partition);
    return String(now !== null && BigInt(now) > logged ? BigInt(now) : logged);
  };
}
