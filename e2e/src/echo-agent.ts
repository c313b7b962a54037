import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { createIdempotentProducer, type IdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import { createKafka, decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Consumer } from 'kafkajs';

/**
 * An agent process under load: answers every `load …` text with `echo …`, keyed by the inbound wamid so a
 * redelivered message would carry the same idempotency key. The reply is written before the offset is
 * committed (at-least-once), and its consumer group outlives a stop, so a restart resumes where it left off.
 */
export class EchoAgent {
  readonly inbound: AgentInboundEvent[] = [];
  /** Everything the router reported on the agent's `-error` topic (a false "send_failed" counts here). */
  readonly errors: AgentErrorEvent[] = [];
  /** kafkajs consumer crashes (with whether it restarted), for the report of a scenario that did not settle. */
  readonly crashes: string[] = [];
  private consumer?: Consumer;
  private producer?: IdempotentProducer;
  private started = false;

  constructor(
    private readonly brokers: string[],
    private readonly topics: { in: string; out: string; error: string },
    private readonly groupId: string,
  ) {}

  async start(): Promise<void> {
    const kafka = createKafka({
      auth: testKafkaAuth(),
      brokers: this.brokers,
      clientId: 'e2e-echo-agent',
      logger: createLogger({ service: 'e2e', level: 'silent' }),
    });
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
      retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const producer = createIdempotentProducer(
      kafka,
      { retry: { retries: 30, maxRetryTime: 2000 } },
      createLogger({ service: 'e2e', level: 'silent' }),
    );
    this.consumer = consumer;
    this.producer = producer;
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe({ topics: [this.topics.in, this.topics.error], fromBeginning: true });
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.crashes.push(
        `${new Date().toISOString()} ${payload.error.name}: ${payload.error.message} (restart: ${payload.restart})`,
      ),
    );
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === this.topics.error) {
          this.errors.push(decodeJson(message.value) as AgentErrorEvent);
          return;
        }
        const event = decodeJson(message.value) as AgentInboundEvent;
        this.inbound.push(event);
        if (event.type === 'text' && event.text.startsWith('load ') && event.wamid)
          await producer.send({
            topic: this.topics.out,
            acks: -1,
            messages: [
              {
                key: event.waID,
                value: encodeJson({
                  v: 1,
                  waID: event.waID,
                  message_type: 'text',
                  text: `echo ${event.text}`,
                  idempotency_key: `echo-${event.wamid}`,
                }),
              },
            ],
          });
      },
    });
    await joined;
    this.started = true;
  }

  /** Consuming and answering: false before start(), after stop(), and after a start() that failed. */
  get running(): boolean {
    return this.started;
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([this.consumer?.disconnect(), this.producer?.disconnect()]);
  }
}
