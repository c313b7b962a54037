import type { Kafka, Producer, ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';
import type { Logger } from './logger.js';

/**
 * Broker answers after which an idempotent producer can never write to that partition again: its sequence
 * numbers and the broker's disagree (typically after a broker died and rejoined), and kafkajs neither retries
 * them nor resets its producer id, so every later send fails the same way. Only a new producer id gets past them.
 */
const fatalIdempotenceErrors = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** True when `error`, or an error it wraps (kafkajs wraps the broker's answer in `cause`), is one of those. */
export function isFatalIdempotenceError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && fatalIdempotenceErrors.has(type)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The part of a kafkajs producer the services use for plain (non-transactional) writes. */
export interface IdempotentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
  /** Connected and not being replaced. */
  isConnected(): boolean;
}

/**
 * An idempotent producer (acks=all: a retried write is never stored twice) that survives a desynchronised
 * sequence. The failing send still fails, so the caller does what it does for any failed write (the webhook
 * answers 503 and Meta retries; a consumer retries its batch); the next send goes through a fresh producer id.
 * A write that failed this way may have been stored: consumers dedupe by event id, as for any retried delivery.
 */
export function createIdempotentProducer(
  kafka: Kafka,
  config: Omit<ProducerConfig, 'idempotent' | 'transactionalId'>,
  logger: Logger,
): IdempotentProducer {
  let connected = false;
  let closed = false;
  const open = () => {
    const producer = kafka.producer({ ...config, idempotent: true });
    producer.on(producer.events.CONNECT, () => {
      if (producer === current) connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (producer === current) connected = false;
    });
    return producer;
  };
  let current: Producer = open();
  // The connection (and producer id) of `current`; a failed attempt is tried again by the next send.
  let ready: Promise<void> | undefined;
  const ensureConnected = () => {
    const producer = current;
    ready ??= producer.connect().catch((error: unknown) => {
      if (producer === current) ready = undefined;
      throw error;
    });
    return ready;
  };

  const replace = (failed: Producer, error: unknown) => {
    if (failed !== current || closed) return;
    logger.warn(
      { err: error },
      'idempotent producer out of sequence with the broker: replaced by a new producer id',
    );
    connected = false;
    current = open();
    ready = undefined;
    void failed.disconnect().catch(() => undefined);
  };

  const guarded = async <T>(write: (producer: Producer) => Promise<T>): Promise<T> => {
    await ensureConnected();
    const producer = current;
    try {
      return await write(producer);
    } catch (error) {
      if (isFatalIdempotenceError(error)) replace(producer, error);
      throw error;
    }
  };

  return {
    connect: ensureConnected,
    async disconnect() {
      closed = true;
      await current.disconnect();
    },
    send: (record) => guarded((producer) => producer.send(record)),
    sendBatch: (batch) => guarded((producer) => producer.sendBatch(batch)),
    isConnected: () => connected,
  };
}
