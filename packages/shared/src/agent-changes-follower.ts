import type { Admin, Consumer } from 'kafkajs';
import { type AgentRecord, agentChangeEvent } from './agents.js';
import { type BusinessNumberRecord, numberChangeEvent } from './business-numbers.js';
import { decodeJson, fetchTopicEnds, subscribeWithRetry } from './kafka.js';
import type { Logger } from './logger.js';
import { type MessageTemplateRecord, templateChangeEvent } from './message-templates.js';

export interface AgentChangesFollower {
  consumer: Consumer;
  admin: Admin;
  /** The compacted agent-change topic (`defaultTopics.agentChanges`). */
  topic: string;
  logger: Logger;
  /** Called with each agent's latest state, deleted ones included (`active: false`). */
  apply: (agent: AgentRecord) => void;
  /** Called for a tombstone (null value), with the record key. */
  remove?: (key: string) => void;
}

/**
 * Follows the compacted agent-change topic from the beginning, in a group of its own per process (every
 * instance needs every agent). Resolves once the topic is read up to where it ended at start.
 */
export function followAgentChanges(deps: AgentChangesFollower): Promise<void> {
  return followCompactedChanges({
    ...deps,
    what: 'agent change',
    read: (value) => {
      const parsed = agentChangeEvent.safeParse(value);
      return parsed.success ? parsed.data.agent : undefined;
    },
  });
}

/** Follows the compacted number-change topic (`defaultTopics.numberChanges`) like {@link followAgentChanges}. */
export function followNumberChanges(
  deps: Omit<AgentChangesFollower, 'apply'> & { apply: (number: BusinessNumberRecord) => void },
): Promise<void> {
  return followCompactedChanges({
    ...deps,
    what: 'number change',
    read: (value) => {
      const parsed = numberChangeEvent.safeParse(value);
      return parsed.success ? parsed.data.number : undefined;
    },
  });
}

/** Follows the compacted template-change topic (`defaultTopics.templateChanges`) like {@link followAgentChanges}. */
export function followTemplateChanges(
  deps: Omit<AgentChangesFollower, 'apply'> & { apply: (template: MessageTemplateRecord) => void },
): Promise<void> {
  return followCompactedChanges({
    ...deps,
    what: 'template change',
    read: (value) => {
      const parsed = templateChangeEvent.safeParse(value);
      return parsed.success ? parsed.data.template : undefined;
    },
  });
}

export interface CompactedChangesFollower<Entity> {
  consumer: Consumer;
  admin: Admin;
  topic: string;
  logger: Logger;
  /** What the records are, for the log line of an unreadable one. */
  what: string;
  /** The entity of a record's value, or undefined when it does not match the contract. */
  read: (value: unknown) => Entity | undefined;
  apply: (entity: Entity) => void;
  remove?: (key: string) => void;
}

/**
 * Follows a compacted topic of "latest full state per key" events (agents, business numbers) from the
 * beginning, in a group of its own per process. Resolves once the topic is read up to where it ended at start.
 */
export async function followCompactedChanges<Entity>(deps: CompactedChangesFollower<Entity>): Promise<void> {
  const ends = await fetchTopicEnds(deps.admin, deps.topic);
  const pending = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  let caughtUp: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    caughtUp = resolve;
  });
  if (pending.size === 0) caughtUp();
  await subscribeWithRetry(deps.consumer, { topic: deps.topic, fromBeginning: true });
  await deps.consumer.run({
    eachMessage: async ({ partition, message }) => {
      const key = message.key?.toString('utf8');
      if (message.value === null && key) deps.remove?.(key);
      const entity = message.value === null ? undefined : deps.read(decodeJson(message.value));
      if (entity !== undefined) deps.apply(entity);
      else if (message.value !== null)
        deps.logger.warn({ partition, offset: message.offset }, `unreadable ${deps.what} skipped`);
      if (Number(message.offset) + 1 >= (pending.get(partition) ?? 0)) pending.delete(partition);
      if (pending.size === 0) caughtUp();
    },
  });
  await ready;
}
