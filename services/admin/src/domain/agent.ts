import { DomainError } from '@wa-broker/shared/errors';
import {
  agentErrorTopic,
  agentInTopic,
  agentOutTopic,
  agentSlug,
  isValidTopicName,
} from '@wa-broker/shared/topics';
import { type AdminErrorCode, type FieldProblem, invalidAgent } from './errors.js';

export interface Agent {
  id: number;
  name: string;
  slug: string;
  description: string;
  readTopic: string;
  writeTopic: string;
  errorTopic: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What is written for a new or changed agent; the store assigns the id and timestamps. */
export type AgentDraft = Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>;

export interface NewAgent {
  name: string;
  description?: string | undefined;
  readTopic?: string | undefined;
  writeTopic?: string | undefined;
  errorTopic?: string | undefined;
}

export type AgentChanges = Partial<Omit<AgentDraft, 'slug'>>;

const topicFields = ['readTopic', 'writeTopic', 'errorTopic'] as const;
const wireField = { readTopic: 'read_topic', writeTopic: 'write_topic', errorTopic: 'error_topic' } as const;

/** A new agent with `<slug>-in/-out/-error` for every topic not given. */
export function draftAgent(input: NewAgent): AgentDraft {
  const name = input.name.trim();
  const slug = agentSlug(name);
  return assertValidDraft({
    name,
    slug,
    description: input.description ?? '',
    readTopic: input.readTopic ?? agentInTopic(slug),
    writeTopic: input.writeTopic ?? agentOutTopic(slug),
    errorTopic: input.errorTopic ?? agentErrorTopic(slug),
    active: true,
  });
}

/** The agent after `changes`; the slug stays, so renaming never moves an agent's topics by itself. */
export function changeAgent(agent: Agent, changes: AgentChanges): AgentDraft {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const { id: _id, createdAt: _created, updatedAt: _updated, ...current } = agent;
  const next: AgentDraft = { ...current, ...defined };
  return assertValidDraft({ ...next, name: next.name.trim() });
}

export function topicsOf(agent: Pick<Agent, 'readTopic' | 'writeTopic' | 'errorTopic'>): string[] {
  return [agent.readTopic, agent.writeTopic, agent.errorTopic];
}

function assertValidDraft(draft: AgentDraft): AgentDraft {
  const problems: FieldProblem[] = [];
  if (draft.name.length === 0) problems.push({ field: 'name', message: 'must not be empty' });
  for (const field of topicFields) {
    if (!isValidTopicName(draft[field]))
      problems.push({ field: wireField[field], message: 'is not a valid Kafka topic name' });
  }
  const seen = new Map<string, string>();
  for (const field of topicFields) {
    const other = seen.get(draft[field]);
    if (other) problems.push({ field: wireField[field], message: `must differ from ${other}` });
    seen.set(draft[field], wireField[field]);
  }
  if (problems.length > 0) throw invalidAgent(problems);
  return draft;
}

/**
 * Rejects a candidate that shares its name or any topic with another active agent: two agents on one topic
 * would read each other's users' messages. Inactive agents never conflict.
 */
export function assertNoConflict(candidate: AgentDraft, others: readonly Agent[], selfId?: number): void {
  if (!candidate.active) return;
  const rivals = others.filter((other) => other.active && other.id !== selfId);
  const sameName = rivals.find((other) => other.name === candidate.name);
  if (sameName)
    throw new DomainError<AdminErrorCode>(
      'agent_exists',
      `an active agent is already named ${candidate.name}`,
      {
        conflicting_id: sameName.id,
      },
    );
  const wanted = new Set(topicsOf(candidate));
  for (const other of rivals) {
    const shared = topicsOf(other).find((topic) => wanted.has(topic));
    if (shared)
      throw new DomainError<AdminErrorCode>('topic_in_use', `topic ${shared} belongs to agent ${other.id}`, {
        conflicting_id: other.id,
        topic: shared,
      });
  }
}
