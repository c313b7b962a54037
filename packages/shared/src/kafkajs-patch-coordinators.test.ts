import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// kafkajs as patched by patches/kafkajs@2.2.4.patch: a transactional producer remembers its transaction and group
// coordinators between requests (unpatched, each step of a transaction looked them up first: 4 of a commit's 9
// round trips) and looks one up again after a request to it failed; it can add a group's offsets partition ahead of
// sendOffsets (AddOffsetsToTxn while the router processes a batch, off a commit's path). kafkajs' own module,
// stand-ins for the network.
const require = createRequire(import.meta.url);
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js') as {
  KafkaJSProtocolError: new (error: unknown) => Error;
};
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => unknown;
};
const createEosManager = require('kafkajs/src/producer/eosManager/index.js') as (options: unknown) => {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  addPartitionsToTransaction(topicData: unknown): Promise<void>;
  sendOffsets(offsets: unknown): Promise<void>;
  addOffsetsToTransaction(consumerGroupId: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
};
const NOT_COORDINATOR = 16;
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One broker (node 1) that is both coordinators; `failNext` makes its next request of that name fail. */
function standIn() {
  const lookups: string[] = [];
  const requests: string[] = [];
  const failNext = new Set<string>();
  const request =
    (name: string, answer: unknown = {}) =>
    async () => {
      requests.push(name);
      if (failNext.delete(name)) throw new KafkaJSProtocolError(createErrorFromCode(NOT_COORDINATOR));
      return answer;
    };
  const broker = {
    nodeId: 1,
    initProducerId: request('InitProducerId', { producerId: 7, producerEpoch: 0 }),
    addPartitionsToTxn: request('AddPartitionsToTxn'),
    addOffsetsToTxn: request('AddOffsetsToTxn'),
    txnOffsetCommit: request('TxnOffsetCommit'),
    endTxn: request('EndTxn'),
  };
  const eos = createEosManager({
    logger: { namespace: () => silent, ...silent },
    cluster: {
      retry: { initialRetryTime: 1, retries: 2 },
      refreshMetadataIfNecessary: async () => undefined,
      findGroupCoordinator: async ({ coordinatorType }: { coordinatorType: number }) => {
        lookups.push(coordinatorType === 1 ? 'transaction' : 'group');
        return broker;
      },
      findBroker: async ({ nodeId }: { nodeId: number }) => {
        if (nodeId !== broker.nodeId) throw new Error(`no broker ${nodeId}`);
        return broker;
      },
    },
    transactional: true,
    transactionalId: 'test-txn',
  });
  const transaction = async () => {
    eos.beginTransaction();
    await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]);
    await eos.sendOffsets({
      consumerGroupId: 'g',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
    });
    await eos.commit();
  };
  return { eos, lookups, requests, failNext, transaction };
}

describe('kafkajs transactions (patched: the coordinators are remembered)', () => {
  it('looks each coordinator up once across back-to-back transactions', async () => {
    const { eos, lookups, requests, transaction } = standIn();
    await eos.initProducerId();
    for (let n = 0; n < 3; n++) await transaction();
    // Unpatched: 1 + 4 per transaction = 13 lookups.
    expect(lookups).toEqual(['transaction', 'group']);
    expect(requests.filter((name) => name === 'EndTxn')).toHaveLength(3);
  });

  it('looks the transaction coordinator up again after a request to it failed', async () => {
    const { eos, lookups, failNext } = standIn();
    await eos.initProducerId();
    eos.beginTransaction();
    failNext.add('AddPartitionsToTxn');
    await expect(
      eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]),
    ).rejects.toThrow();
    await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]);
    expect(lookups).toEqual(['transaction', 'transaction']);
  });

  it('looks the group coordinator up again when it answers NOT_COORDINATOR, and the commit of offsets succeeds', async () => {
    const { eos, lookups, requests, failNext } = standIn();
    await eos.initProducerId();
    eos.beginTransaction();
    failNext.add('TxnOffsetCommit');
    await eos.sendOffsets({
      consumerGroupId: 'g',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
    });
    expect(requests.filter((name) => name === 'TxnOffsetCommit')).toHaveLength(2);
    expect(lookups).toEqual(['transaction', 'group', 'group']);
  });

  it('adds the group’s offsets partition ahead, once per transaction: sendOffsets then only commits the offsets', async () => {
    const { eos, requests } = standIn();
    await eos.initProducerId();
    const offsets = {
      consumerGroupId: 'g',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
    };
    for (let n = 0; n < 2; n++) {
      eos.beginTransaction();
      await eos.addOffsetsToTransaction('g');
      await eos.addOffsetsToTransaction('g');
      await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]);
      await eos.sendOffsets(offsets);
      await eos.commit();
    }
    // The next transaction adds it again: the coordinator forgets a transaction's partitions at its end.
    const transaction = ['AddOffsetsToTxn', 'AddPartitionsToTxn', 'TxnOffsetCommit', 'EndTxn'];
    expect(requests).toEqual(['InitProducerId', ...transaction, ...transaction]);
  });

  it('sends EndTxn for a transaction that holds only the offsets partition, so aborting it ends it', async () => {
    const { eos, requests } = standIn();
    await eos.initProducerId();
    eos.beginTransaction();
    await eos.addOffsetsToTransaction('g');
    await eos.abort();
    expect(requests).toEqual(['InitProducerId', 'AddOffsetsToTxn', 'EndTxn']);
  });
});
