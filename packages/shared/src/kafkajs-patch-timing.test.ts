import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// kafkajs as patched by patches/kafkajs@2.2.4.patch: its timers and its transactions' retries (the produce and
// read_committed fixes are in kafkajs-patch.test.ts). kafkajs' own modules, with stand-ins for the network.
const require = createRequire(import.meta.url);
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js') as {
  KafkaJSProtocolError: new (error: unknown) => Error;
};
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => unknown;
};

describe('kafkajs request queue (patched: no negative timer on Node 24)', () => {
  it('schedules its pending-request check with a delay of zero or more', () => {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (
      options: unknown,
    ) => { scheduleCheckPendingRequests(): void; destroy(): void };
    const silent = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    // Node 24 warns (TimeoutNegativeWarning) on every negative delay, i.e. on every fulfilled request.
    globalThis.setTimeout = ((handler: () => void, delay?: number) => {
      delays.push(delay ?? 0);
      return realSetTimeout(handler, 0);
    }) as typeof setTimeout;
    try {
      const queue = new RequestQueue({
        maxInFlightRequests: 1,
        requestTimeout: 1000,
        enforceRequestTimeout: false,
        clientId: 'test',
        broker: 'test:9092',
        logger: silent,
      });
      // Not throttled (throttledUntil = -1) and nothing pending: unpatched, the delay was -Date.now() ms.
      queue.scheduleCheckPendingRequests();
      queue.destroy();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
  });
});

describe('kafkajs transactions (patched: back-to-back transactions do not wait for the generic retry)', () => {
  const createEosManager = require('kafkajs/src/producer/eosManager/index.js') as (options: unknown) => {
    initProducerId(): Promise<void>;
    beginTransaction(): void;
    addPartitionsToTransaction(topicData: unknown): Promise<void>;
  };
  const concurrentTransactions = () => new KafkaJSProtocolError(createErrorFromCode(51));

  it('tries AddPartitionsToTxn again at once while the previous transaction is still writing its markers', async () => {
    let refusals = 2;
    const calls: string[] = [];
    const coordinator = {
      initProducerId: async () => ({ producerId: 7, producerEpoch: 0 }),
      addPartitionsToTxn: async () => {
        calls.push('AddPartitionsToTxn');
        if (refusals-- > 0) throw concurrentTransactions();
      },
    };
    const silent = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const eos = createEosManager({
      logger: { namespace: () => silent, ...silent },
      cluster: {
        // The generic retry: what an unpatched kafkajs left this error to (a send retried after 200 ms and more).
        retry: { initialRetryTime: 200, retries: 0 },
        refreshMetadataIfNecessary: async () => undefined,
        findGroupCoordinator: async () => coordinator,
      },
      transactional: true,
      transactionalId: 'test-txn',
    });
    await eos.initProducerId();
    eos.beginTransaction();
    await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]);
    // Unpatched, the first CONCURRENT_TRANSACTIONS reached the caller (and its 200 ms+ retry).
    expect(calls).toHaveLength(3);
  });
});
