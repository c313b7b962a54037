/** One record for Kafka: the value is a JSON string or the raw delivery's bytes. */
export interface TopicRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers: Record<string, string>;
}

/**
 * Writes a batch of records to several topics with an idempotent producer and acks=all; resolves only once Kafka
 * acknowledged every one. One batch at a time (the coalescing sender keeps a single send in flight), so a later
 * batch is never written before an earlier one: per-user order holds.
 */
export interface BatchProducer {
  connect(): Promise<void>;
  send(records: readonly TopicRecord[]): Promise<void>;
  /** Connected to the cluster and not being replaced. */
  isConnected(): boolean;
  disconnect(): Promise<void>;
}

/** Which client writes the webhook's records (WEBHOOK_KAFKA_CLIENT); both are tested against the real broker. */
export const batchProducerClients = ['platformatic', 'kafkajs'] as const;
export type BatchProducerClient = (typeof batchProducerClients)[number];
