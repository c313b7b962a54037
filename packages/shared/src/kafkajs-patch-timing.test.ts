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

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('kafkajs request queue (patched: no timer loop, no negative delay)', () => {
  interface Queue {
    push(request: unknown): void;
    fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
    maybeThrottle(ms: number): void;
    throttleCheckTimeoutId: unknown;
    destroy(): void;
  }
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (
    options: unknown,
  ) => Queue;
  const newQueue = () =>
    new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 1000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: 'test:9092',
      logger: silent,
    });
  const request = (correlationId: number, sent: number[]) => ({
    entry: {
      correlationId,
      apiKey: 0,
      apiName: 'Produce',
      apiVersion: 7,
      resolve: () => undefined,
      reject: () => undefined,
    },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });
  /** The delays of the timers `run` schedules (the timers still run, with those delays). */
  const timersOf = (run: () => void): number[] => {
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((handler: () => void, delay?: number) => {
      delays.push(delay ?? 0);
      return realSetTimeout(handler, delay);
    }) as typeof setTimeout;
    try {
      run();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    return delays;
  };

  it('leaves no timer behind a request it served with nothing else pending', () => {
    const queue = newQueue();
    const sent: number[] = [];
    // Unpatched: the answer scheduled a check of the (empty) queue after -Date.now() ms, that check the next one,
    // and so on: ~1,000 timers a second per connection for as long as it lived (kafkajs#1556, #1704).
    const delays = timersOf(() => {
      queue.push(request(1, sent));
      queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    });
    expect(sent).toEqual([1]);
    expect(delays).toEqual([]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('still sends a request held back by client-side throttling, once the throttle ends', async () => {
    const queue = newQueue();
    const sent: number[] = [];
    queue.maybeThrottle(30);
    const delays = timersOf(() => queue.push(request(1, sent)));
    expect(sent).toEqual([]);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(0); // Node 24 warns (TimeoutNegativeWarning) on a negative one
    for (let waited = 0; sent.length === 0 && waited < 5000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toEqual([1]);
    queue.destroy();
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
