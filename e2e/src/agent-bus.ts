import { randomUUID } from 'node:crypto';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { createKafka, decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Consumer, Producer } from 'kafkajs';

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
    return waitFor(
      () => this.inbound.find(match),
      `agent never got ${what}; got ${JSON.stringify(this.inbound.map((e) => [e.type, e.waID, e.text]))}`,
      timeoutMs,
    );
  }

  async waitForError(
    match: (event: AgentErrorEvent) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<AgentErrorEvent> {
    return waitFor(
      () => this.errors.find(match),
      `agent never got the error ${what}; got ${JSON.stringify(this.errors.map((e) => [e.code, e.text]))}`,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer?.disconnect(), this.producer?.disconnect()]);
  }
}

export async function waitFor<T>(
  probe: () => T | undefined,
  failure: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
