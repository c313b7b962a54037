import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { createKafka, decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Consumer, Producer } from 'kafkajs';

/**
 * Whether an agent event is about the simulated user with this phone: the key is the BSUID (shared/user-identity),
 * the phone rides along in `user.wa_id` while Meta shares it.
 */
export const isAbout = (event: Pick<AgentInboundEvent, 'waID' | 'user'>, waId: string): boolean =>
  event.waID === waId || event.user.wa_id === waId;

/** Watches an agent's `-in` and `-error` topics and writes to its `-out`, as any agent process would. */
export class AgentBus {
  readonly inbound: AgentInboundEvent[] = [];
  readonly errors: AgentErrorEvent[] = [];
  private consumer!: Consumer;
  private producer!: Producer;

  constructor(
    private readonly brokers: string[],
    private readonly topics: { in: string; out: string; error: string },
  ) {}

  async start(): Promise<void> {
    const kafka = createKafka({
      auth: testKafkaAuth(),
      brokers: this.brokers,
      clientId: 'e2e-agent-bus',
      logger: createLogger({ service: 'e2e', level: 'silent' }),
    });
    this.consumer = kafka.consumer({
      groupId: `e2e-bus-${randomUUID()}`,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    this.producer = kafka.producer({ idempotent: true });
    await Promise.all([this.consumer.connect(), this.producer.connect()]);
    await this.consumer.subscribe({ topics: [this.topics.in, this.topics.error], fromBeginning: true });
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = decodeJson(message.value);
        if (topic === this.topics.in) this.inbound.push(value as AgentInboundEvent);
        else this.errors.push(value as AgentErrorEvent);
      },
    });
    await joined;
  }

  async reply(
    message: Omit<AgentOutboundMessage, 'v' | 'idempotency_key'> & { idempotency_key?: string },
  ): Promise<string> {
    const key = message.idempotency_key ?? randomUUID();
    await this.producer.send({
      topic: this.topics.out,
      acks: -1,
      messages: [{ key: message.waID, value: encodeJson({ v: 1, ...message, idempotency_key: key }) }],
    });
    return key;
  }

  async waitForInbound(
    match: (event: AgentInboundEvent) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<AgentInboundEvent> {
    return eventually(() => this.inbound.find(match), {
      what: `the agent to get ${what}`,
      timeoutMs,
      intervalMs: 100,
      detail: () => `got ${JSON.stringify(this.inbound.map((e) => [e.type, e.waID, e.text]))}`,
    });
  }

  async waitForError(
    match: (event: AgentErrorEvent) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<AgentErrorEvent> {
    return eventually(() => this.errors.find(match), {
      what: `the agent to get the error ${what}`,
      timeoutMs,
      intervalMs: 100,
      detail: () => `got ${JSON.stringify(this.errors.map((e) => [e.code, e.text]))}`,
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer?.disconnect(), this.producer?.disconnect()]);
  }
}
