import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// kafkajs as patched by patches/kafkajs@2.2.4.patch. The produce path (the original lost or doubled records when a
// partition's leader moved during a retry: tulios/kafkajs#1303). The cluster and brokers are stand-ins that
// record every produce request; the send logic, the retrier, the partitioner and the errors are kafkajs' own.
const require = createRequire(import.meta.url);
type Produce = (request: ProduceRequest) => Promise<unknown>;
interface ProduceRequest {
  topicData: {
    topic: string;
    partitions: { partition: number; firstSequence: number; messages: unknown[] }[];
  }[];
}
type SendMessages = (options: {
  acks: number;
  topicMessages: { topic: string; messages: { partition: number; value: string }[] }[];
}) => Promise<{ topicName: string; partition: number; baseOffset: string }[]>;
const createSendMessages = require('kafkajs/src/producer/sendMessages.js') as (deps: unknown) => SendMessages;
const createRetry = require('kafkajs/src/retry/index.js') as (options: unknown) => unknown;
const { DefaultPartitioner } = require('kafkajs/src/producer/partitioners/index.js') as {
  DefaultPartitioner: () => unknown;
};
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js') as {
  KafkaJSProtocolError: new (error: unknown) => Error;
};
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => unknown;
};
const notLeader = () => new KafkaJSProtocolError(createErrorFromCode(6));

/** A cluster of brokers whose leaders can move; each broker answers with `answer(nodeId, request)`. */
function standInCluster(
  leaders: Record<number, number | undefined>,
  answer: (nodeId: number, request: ProduceRequest) => Promise<void>,
) {
  const requests: { nodeId: number; partitions: number[] }[] = [];
  const sequences = new Map<number, number>();
  let refreshes = 0;
  const onRefresh: (() => void)[] = [];
  const broker = (nodeId: number) => ({
    nodeId,
    produce: (async (request) => {
      const partitions = request.topicData.flatMap((t) => t.partitions.map((p) => p.partition));
      requests.push({ nodeId, partitions });
      await answer(nodeId, request);
      return {
        topics: request.topicData.map((t) => ({
          topicName: t.topic,
          partitions: t.partitions.map((p) => ({
            partition: p.partition,
            errorCode: 0,
            baseOffset: String(p.firstSequence),
          })),
        })),
      };
    }) satisfies Produce,
  });
  const brokers = new Map([1, 2, 3].map((id) => [id, broker(id)]));
  const metadata = () =>
    Object.entries(leaders)
      .filter(([, leader]) => leader !== undefined)
      .map(([partition, leader]) => ({ partitionId: Number(partition), leader, partitionErrorCode: 0 }));
  const cluster = {
    targetTopics: new Set<string>(),
    addMultipleTargetTopics: async () => undefined,
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => {
      refreshes += 1;
      for (const hook of onRefresh.splice(0)) hook();
    },
    isConnected: () => true,
    connect: async () => undefined,
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => metadata(),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const result: Record<string, number[]> = {};
      for (const id of partitions) {
        const leader = leaders[Number(id)];
        if (leader === undefined) continue; // as kafkajs does: a partition missing from the metadata is skipped
        result[leader] = [...(result[leader] ?? []), Number(id)];
      }
      return result;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers.get(Number(nodeId)),
  };
  const eosManager = {
    isTransactional: () => false,
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getTransactionalId: () => undefined,
    getSequence: (_topic: string, partition: number) => sequences.get(partition) ?? 0,
    updateSequence: (_topic: string, partition: number, increment: number) =>
      sequences.set(partition, (sequences.get(partition) ?? 0) + increment),
  };
  const logger = {
    debug: () => undefined,
    error: () => undefined,
    info: () => undefined,
    warn: () => undefined,
  };
  const send = createSendMessages({
    logger,
    cluster,
    eosManager,
    partitioner: DefaultPartitioner(),
    retrier: createRetry({ retries: 3, initialRetryTime: 5, maxRetryTime: 20 }),
  });
  return { send, requests, sequences, onRefresh, refreshes: () => refreshes };
}

const records = (partitions: number[]) => ({
  acks: -1,
  topicMessages: [
    { topic: 'orders', messages: partitions.map((partition) => ({ partition, value: `to ${partition}` })) },
  ],
});

describe('kafkajs send, patched (patches/kafkajs@2.2.4.patch)', () => {
  it('sends a partition whose leader moved, during a retry, to a broker that had already answered', async () => {
    const leaders: Record<number, number | undefined> = { 0: 1, 1: 2 };
    let failed = false;
    const cluster = standInCluster(leaders, async (nodeId) => {
      if (nodeId === 2 && !failed) {
        failed = true;
        throw notLeader();
      }
    });
    cluster.onRefresh.push(() => {
      leaders[1] = 1; // broker 2 lost partition 1 to broker 1, which already took partition 0
    });
    const answers = await cluster.send(records([0, 1]));
    expect(answers.map((a) => a.partition).sort()).toEqual([0, 1]);
    // Partition 0 once (broker 1), partition 1 twice: refused by broker 2, then to its new leader.
    expect(cluster.requests).toEqual(
      expect.arrayContaining([
        { nodeId: 1, partitions: [0] },
        { nodeId: 2, partitions: [1] },
        { nodeId: 1, partitions: [1] },
      ]),
    );
    expect(cluster.requests).toHaveLength(3);
    expect(cluster.sequences.get(0)).toBe(1);
    expect(cluster.sequences.get(1)).toBe(1);
  });

  it('waits for a request still in flight before retrying, and never sends its partition again', async () => {
    const leaders: Record<number, number | undefined> = { 0: 1, 1: 2 };
    let failed = false;
    const cluster = standInCluster(leaders, async (nodeId) => {
      if (nodeId === 1) await new Promise((resolve) => setTimeout(resolve, 60)); // slow, but it succeeds
      if (nodeId === 2 && !failed) {
        failed = true;
        throw notLeader();
      }
    });
    await cluster.send(records([0, 1]));
    expect(cluster.requests.filter((r) => r.partitions.includes(0))).toHaveLength(1);
    expect(cluster.sequences.get(0)).toBe(1);
  });

  it('fails (retriably) rather than skip a partition whose leader is unknown', async () => {
    const leaders: Record<number, number | undefined> = { 0: 1, 1: undefined };
    const cluster = standInCluster(leaders, async () => undefined);
    cluster.onRefresh.push(() => {
      leaders[1] = 3;
    });
    const answers = await cluster.send(records([0, 1]));
    expect(answers.map((a) => a.partition).sort()).toEqual([0, 1]);
    expect(cluster.requests).toContainEqual({ nodeId: 3, partitions: [1] });
    expect(cluster.refreshes()).toBeGreaterThan(0);
  });
});

const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages.js') as (input: {
  messages: FetchedMessage[];
  abortedTransactions: { producerId: string; firstOffset: string }[];
}) => FetchedMessage[];
interface FetchedMessage {
  offset: string;
  key: Buffer;
  batchContext: { producerId: string; inTransaction: boolean };
}
const abortMarkerKey = Buffer.from([0, 0, 0, 0]);
const fetched = (offset: number, producerId: number, abortMarker = false): FetchedMessage => ({
  offset: String(offset),
  key: abortMarker ? abortMarkerKey : Buffer.from('user'),
  batchContext: { producerId: String(producerId), inTransaction: true },
});

describe('kafkajs read_committed, patched (patches/kafkajs@2.2.4.patch)', () => {
  it('drops every aborted record although the broker lists the aborted transactions by abort marker', () => {
    // Producer 1 began first (offset 1) but was aborted after producer 2 (markers at 5 and 4): the broker's list
    // puts producer 2 first. Producer 3's record is committed.
    const kept = filterAbortedMessages({
      messages: [
        fetched(1, 1),
        fetched(2, 1),
        fetched(3, 2),
        fetched(4, 2, true),
        fetched(5, 1, true),
        fetched(6, 3),
      ],
      abortedTransactions: [
        { producerId: '2', firstOffset: '3' },
        { producerId: '1', firstOffset: '1' },
      ],
    });
    expect(kept.filter((message) => !message.key.equals(abortMarkerKey)).map((m) => m.offset)).toEqual(['6']);
  });

  it('knows every aborted transaction that began before a fetch started', () => {
    // A fetch from offset 10, in the middle of two aborted transactions that began at 7 and 8.
    const kept = filterAbortedMessages({
      messages: [fetched(10, 2), fetched(11, 1), fetched(12, 2, true), fetched(13, 1, true), fetched(14, 3)],
      abortedTransactions: [
        { producerId: '1', firstOffset: '7' },
        { producerId: '2', firstOffset: '8' },
      ],
    });
    expect(kept.filter((message) => !message.key.equals(abortMarkerKey)).map((m) => m.offset)).toEqual([
      '14',
    ]);
  });
});
