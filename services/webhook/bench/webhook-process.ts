import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { benchSecret } from './bodies.js';
import { countTopics, deleteTopics } from './kafka-count.js';
import { readCounter, startProcess, stopProcess, waitForHttp } from './processes.js';
import type { KafkaCheck } from './report.js';

/** One webhook service in its own process, writing with `client` to topics of its own (created and deleted here). */
export interface BenchedWebhook {
  client: string;
  url: string;
  cpuSeconds(): Promise<number>;
  /** What the service saw acknowledged (its /metrics) against what Kafka holds (end offsets). */
  checkKafka(clientOk: number): Promise<KafkaCheck>;
  stop(): Promise<void>;
}

export async function startWebhook(options: {
  client: string;
  port: number;
  kafkaEnv: Record<string, string>;
  settings: Record<string, string>;
  nodeArgs: string[];
}): Promise<BenchedWebhook> {
  const prefix = `bench-${options.client}-${randomUUID().slice(0, 8)}`;
  const topics = {
    WEBHOOK_TOPIC: `${prefix}-webhook`,
    BUSINESS_EVENTS_TOPIC: `${prefix}-business`,
    RAW_EVENT_LOG_TOPIC: `${prefix}-raw`,
  };
  const brokers = options.kafkaEnv.KAFKA_BROKERS ?? '';
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = startProcess(
    'src/main.ts',
    {
      ...options.settings,
      ...topics,
      ...options.kafkaEnv,
      WEBHOOK_KAFKA_CLIENT: options.client,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      META_VERIFY_TOKEN: 'bench',
      META_APP_SECRETS: benchSecret,
    },
    options.nodeArgs,
  );
  const counter = (series: string) => readCounter(`${url}/metrics`, series);
  try {
    await waitForHttp(`${url}/readyz`, {}, 200);
  } catch (error) {
    await stopProcess(child);
    await deleteTopics(brokers, Object.values(topics));
    throw error;
  }
  return {
    client: options.client,
    url,
    cpuSeconds: () => counter('process_cpu_seconds_total'),
    async checkKafka(clientOk) {
      // Requests still in flight when the load generator stopped are acknowledged a moment later: read the
      // counters once they have stopped moving, or Kafka would hold records the counters do not show yet.
      for (let last = -1, now = await counter('webhook_requests_total{outcome="accepted"}'); now !== last; ) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        last = now;
        now = await counter('webhook_requests_total{outcome="accepted"}');
      }
      const published = (kind: string) => counter(`webhook_events_published_total{kind="${kind}"}`);
      const expectedEvents =
        (await published('message')) + (await published('status')) + (await published('error'));
      const [publishedEvents = 0, publishedRaw = 0] = await countTopics(brokers, [
        topics.WEBHOOK_TOPIC,
        topics.RAW_EVENT_LOG_TOPIC,
      ]);
      return {
        acceptedRequests: await counter('webhook_requests_total{outcome="accepted"}'),
        expectedEvents,
        publishedEvents,
        expectedRaw: await published('raw'),
        publishedRaw,
        clientOk,
      };
    },
    async stop() {
      await stopProcess(child);
      await deleteTopics(brokers, Object.values(topics));
    },
  };
}
