import { EventEmitter } from 'node:events';
import { type Kafka, KafkaJSNonRetriableError, KafkaJSProtocolError, type Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createIdempotentProducer, isFatalIdempotenceError } from './idempotent-producer.js';
import { createLogger } from './logger.js';

// kafkajs' own error shapes: the broker's answer (protocol error) wrapped by the retrier that gave up on it.
// (kafkajs' typings declare only the message argument; the code passes the broker's error entry and a cause.)
const brokerAnswer = (type: string, code: number) =>
  new KafkaJSProtocolError({
    type,
    code,
    retriable: false,
    message: `broker said ${type}`,
  } as unknown as Error);
const gaveUp = (cause: Error) =>
  new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error)(cause, { cause });

/** A stand-in producer: pure bookkeeping of what was called, and the answers the test scripts. */
class ScriptedProducer extends EventEmitter {
  readonly events = { CONNECT: 'connect', DISCONNECT: 'disconnect' };
  connects = 0;
  disconnects = 0;
  sent = 0;
  constructor(private readonly answers: (Error | 'ok')[]) {
    super();
  }
  async connect() {
    this.connects += 1;
    this.emit('connect');
  }
  async disconnect() {
    this.disconnects += 1;
    this.emit('disconnect');
  }
  async sendBatch() {
    this.sent += 1;
    const answer = this.answers.shift() ?? 'ok';
    if (answer !== 'ok') throw answer;
    return [];
  }
  async send() {
    return this.sendBatch();
  }
}

function fakeKafka(scripts: (Error | 'ok')[][]) {
  const producers: ScriptedProducer[] = [];
  const kafka = {
    producer: () => {
      const producer = new ScriptedProducer(scripts[producers.length] ?? []);
      producers.push(producer);
      return producer as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const logger = createLogger({ service: 'test', level: 'silent' });
const batch = { topicMessages: [{ topic: 't', messages: [{ value: 'v' }] }] };

describe('isFatalIdempotenceError', () => {
  it('finds the broker answer inside kafkajs wrappers', () => {
    expect(isFatalIdempotenceError(gaveUp(brokerAnswer('OUT_OF_ORDER_SEQUENCE_NUMBER', 45)))).toBe(true);
    expect(isFatalIdempotenceError(brokerAnswer('UNKNOWN_PRODUCER_ID', 59))).toBe(true);
    expect(isFatalIdempotenceError(gaveUp(brokerAnswer('NOT_LEADER_FOR_PARTITION', 6)))).toBe(false);
    expect(isFatalIdempotenceError(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(isFatalIdempotenceError(undefined)).toBe(false);
  });
});

describe('createIdempotentProducer', () => {
  it('fails the send that hit a desynchronised sequence, then writes through a new producer id', async () => {
    const outOfOrder = gaveUp(brokerAnswer('OUT_OF_ORDER_SEQUENCE_NUMBER', 45));
    // Without the replacement, kafkajs would answer the same way forever: the first producer always fails.
    const { kafka, producers } = fakeKafka([[outOfOrder, outOfOrder, outOfOrder], []]);
    const producer = createIdempotentProducer(kafka, {}, logger);
    await producer.connect();
    await expect(producer.sendBatch(batch)).rejects.toBe(outOfOrder);
    await expect(producer.sendBatch(batch)).resolves.toEqual([]);
    expect(producers).toHaveLength(2);
    expect(producers[0]).toMatchObject({ sent: 1, disconnects: 1 });
    expect(producers[1]).toMatchObject({ connects: 1, sent: 1 });
    expect(producer.isConnected()).toBe(true);
  });

  it('keeps its producer through ordinary failures (a broker away): kafkajs recovers from those itself', async () => {
    const { kafka, producers } = fakeKafka([[gaveUp(new Error('connect ECONNREFUSED')), 'ok']]);
    const producer = createIdempotentProducer(kafka, {}, logger);
    await producer.connect();
    await expect(producer.sendBatch(batch)).rejects.toThrow('ECONNREFUSED');
    await expect(producer.sendBatch(batch)).resolves.toEqual([]);
    expect(producers).toHaveLength(1);
  });

  it('replaces once when concurrent sends fail together', async () => {
    const unknownId = () => brokerAnswer('UNKNOWN_PRODUCER_ID', 59);
    const { kafka, producers } = fakeKafka([[unknownId(), unknownId(), unknownId()], []]);
    const producer = createIdempotentProducer(kafka, {}, logger);
    await producer.connect();
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => producer.sendBatch(batch)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(producers).toHaveLength(2);
    await producer.send({ topic: 't', messages: [{ value: 'v' }] });
    expect(producers[1]?.sent).toBe(1);
  });
});
