import type { Consumer } from 'kafkajs';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { trackConsumerLag } from './consumer-lag.kafka.js';

/** A consumer that only emits instrumentation events, the way kafkajs does. */
function fakeConsumer() {
  const listeners = new Map<string, (event: { payload: unknown }) => void>();
  const events = {
    START_BATCH_PROCESS: 'start',
    END_BATCH_PROCESS: 'end',
    GROUP_JOIN: 'join',
    STOP: 'stop',
  } as unknown as Consumer['events'];
  const consumer = {
    events,
    on: (name: string, listener: (event: { payload: unknown }) => void) => {
      listeners.set(name, listener);
      return () => undefined;
    },
  } as unknown as Pick<Consumer, 'on' | 'events'>;
  const emit = (name: string, payload: unknown) => listeners.get(name)?.({ payload });
  return { consumer, emit };
}

async function lagOf(registry: Registry) {
  const metric = await registry.getSingleMetric('lag')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [`${v.labels.group}/${v.labels.topic}/${v.labels.partition}`, v.value]),
  );
}

describe('trackConsumerLag', () => {
  const setup = () => {
    const registry = new Registry();
    const gauge = new Gauge({
      name: 'lag',
      help: 'lag',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    const { consumer, emit } = fakeConsumer();
    trackConsumerLag(consumer, 'router-out', gauge);
    return { registry, emit };
  };
  const batch = (topic: string, partition: number, offsetLagLow: string, offsetLag: string) => ({
    topic,
    partition,
    offsetLagLow,
    offsetLag,
  });

  it('reports the lag from a batch’s first record at its start and from its last at its end', async () => {
    const { registry, emit } = setup();
    emit('start', batch('a-out', 0, '120', '20'));
    expect(await lagOf(registry)).toEqual({ 'router-out/a-out/0': 120 });
    emit('end', batch('a-out', 0, '120', '20'));
    emit('end', batch('a-out', 1, '0', '-1'));
    expect(await lagOf(registry)).toEqual({ 'router-out/a-out/0': 20, 'router-out/a-out/1': 0 });
  });

  it('drops partitions a rebalance moved away, and all of them when the consumer stops', async () => {
    const { registry, emit } = setup();
    emit('end', batch('a-out', 0, '5', '3'));
    emit('end', batch('a-out', 1, '5', '4'));
    emit('end', batch('b-out', 0, '5', '1'));
    emit('join', { memberAssignment: { 'a-out': [1], 'b-out': [0] } });
    expect(await lagOf(registry)).toEqual({ 'router-out/a-out/1': 4, 'router-out/b-out/0': 1 });
    emit('stop', null);
    expect(await lagOf(registry)).toEqual({});
  });
});
