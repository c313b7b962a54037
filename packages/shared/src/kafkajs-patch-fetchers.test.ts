import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// kafkajs as patched by patches/kafkajs@2.2.4.patch: the consumer's fetch manager stopped while it rebalances its
// fetchers (the set of brokers changed: one killed, one back). kafkajs' own fetch manager and fetchers; the
// runner's fetch is a stand-in that answers as kafkajs' runner does: [] at once once the consumer stopped.
const require = createRequire(import.meta.url);
interface FetchManager {
  start(): Promise<void>;
  stop(): Promise<void>;
}
const createFetchManager = require('kafkajs/src/consumer/fetchManager.js') as (
  options: unknown,
) => FetchManager;
interface Logger {
  namespace(): Logger;
}
const logger: Logger & Record<'debug' | 'info' | 'warn' | 'error', () => void> = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  namespace: () => logger,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A fetch manager over the brokers `nodeIds()` names, with `fetch` standing in for the runner's. */
const managerOf = (nodeIds: () => number[], fetch: (nodeId: number) => Promise<unknown[]>) =>
  createFetchManager({ logger, getNodeIds: nodeIds, handler: async () => undefined, concurrency: 1, fetch });

describe('kafkajs fetch manager (patched: no fetchers started after stop)', () => {
  it('stopped during a rebalance of its fetchers, it starts no new ones (they spun on microtasks forever)', async () => {
    let nodeIds = [0, 1];
    let running = true;
    let fetchesAfterStop = 0;
    let releaseNode1: () => void = () => undefined;
    let node1Waiting: () => void = () => undefined;
    const node1Fetching = new Promise<void>((resolve) => {
      node1Waiting = resolve;
    });
    const manager = managerOf(
      () => nodeIds,
      async (nodeId) => {
        if (!running) {
          // kafkajs' runner answers [] at once; stop the spin the old code fell into, so the test ends.
          if (++fetchesAfterStop > 1000) throw new Error('fetchers spinning after stop');
          return [];
        }
        if (nodeId === 1) {
          node1Waiting();
          await new Promise<void>((resolve) => {
            releaseNode1 = resolve;
          });
          return [];
        }
        await sleep(1);
        return [];
      },
    );
    const started = manager.start();
    await node1Fetching;
    // Node 1 leaves: node 0's next fetch sees it and ends its fetcher; the manager waits for node 1's fetch.
    nodeIds = [0];
    await sleep(50);
    // The consumer stops meanwhile (runner.stop: not running, then the manager's stop).
    running = false;
    await manager.stop();
    releaseNode1();
    await started;
    expect(fetchesAfterStop).toBe(0);
  });

  it('still rebalances while running: fetchers for the new set of brokers take over', async () => {
    let nodeIds = [0, 1];
    const fetchedBy = new Set<number>();
    let stopping = false;
    const manager = managerOf(
      () => nodeIds,
      async (nodeId) => {
        if (!stopping) fetchedBy.add(nodeId);
        await sleep(1);
        return [];
      },
    );
    const started = manager.start();
    await sleep(20);
    nodeIds = [2];
    fetchedBy.clear();
    await sleep(50);
    stopping = true;
    await manager.stop();
    await started;
    expect([...fetchedBy]).toEqual([2]);
  });
});
