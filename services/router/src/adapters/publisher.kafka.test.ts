import type { ProducerBatch } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafkaPublisher } from './publisher.kafka.js';

/** A producer whose requests finish when the test says; records what each request carried, topic by topic. */
function fakeProducer() {
  const requests: { carried: string[]; finish: () => void }[] = [];
  const sendBatch = (batch: ProducerBatch) =>
    new Promise<never[]>((resolve) => {
      const carried = (batch.topicMessages ?? []).flatMap(({ topic, messages }) =>
        messages.map((m) => `${topic}:${m.key}:${String(m.value)}`),
      );
      requests.push({ carried, finish: () => resolve([]) });
    });
  return { sendBatch, requests };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const out = (topic: string, key: string, n: number) => ({ topic, key, value: { n } });

describe('the publisher outside transactions', () => {
  it('sends concurrent calls together while one request is in flight, each call’s records in order', async () => {
    const producer = fakeProducer();
    const publish = createKafkaPublisher(producer);
    const first = publish([out('events', 'a', 1)]);
    const second = publish([out('events', 'b', 1), out('costs', 'b', 2)]);
    const third = publish([out('events', 'b', 3)]);
    await tick();
    // One request at a time: the first alone, the two that came meanwhile wait for it.
    expect(producer.requests.map((r) => r.carried)).toEqual([['events:a:{"n":1}']]);
    producer.requests[0]?.finish();
    await first;
    await tick();
    expect(producer.requests.map((r) => r.carried)).toEqual([
      ['events:a:{"n":1}'],
      ['events:b:{"n":1}', 'events:b:{"n":3}', 'costs:b:{"n":2}'],
    ]);
    let settled = false;
    void Promise.all([second, third]).then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    producer.requests[1]?.finish();
    await Promise.all([second, third]);
  });

  it('sends nothing for no records', async () => {
    const producer = fakeProducer();
    await createKafkaPublisher(producer)([]);
    expect(producer.requests).toHaveLength(0);
  });
});
