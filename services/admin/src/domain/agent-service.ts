import type { AgentChangeType } from '@wa-broker/shared/agents';
import { DomainError } from '@wa-broker/shared/errors';
import {
  type Agent,
  type AgentChanges,
  assertNoConflict,
  changeAgent,
  draftAgent,
  type NewAgent,
  topicsOf,
} from './agent.js';
import { type AdminErrorCode, agentNotFound } from './errors.js';
import type { AgentChangePublisher, AgentQuery, AgentStore, TopicProvisioner } from './ports.js';

export interface AgentServiceDeps {
  store: AgentStore;
  topics: TopicProvisioner;
  publisher: AgentChangePublisher;
  now: () => Date;
  /** Told when a committed change could not be announced, so a resync can follow. */
  onPublishFailed: (error: unknown, agent: Agent) => void;
}

export type AgentService = ReturnType<typeof createAgentService>;

/**
 * The agent use cases. Order matters: topics are created inside the DB transaction (no agent without its
 * topics), the change event is published after the commit (the router never hears of a rolled-back agent).
 */
export function createAgentService(deps: AgentServiceDeps) {
  const { store } = deps;

  async function announce(type: AgentChangeType, agent: Agent): Promise<Agent> {
    try {
      await deps.publisher.publish([{ type, agent }], deps.now());
    } catch (error) {
      deps.onPublishFailed(error, agent);
      throw new DomainError<AdminErrorCode>(
        'change_not_published',
        `agent ${agent.id} was saved but its change event could not be published; it will be republished`,
        { id: agent.id },
      );
    }
    return agent;
  }

  async function requireAgent(id: number, activeOnly: boolean): Promise<Agent> {
    const agent = await store.get(id);
    if (!agent || (activeOnly && !agent.active)) throw agentNotFound(id);
    return agent;
  }

  return {
    list: (query: AgentQuery) => store.list(query),
    get: requireAgent,

    async create(input: NewAgent): Promise<Agent> {
      const draft = draftAgent(input);
      assertNoConflict(draft, await store.findRivals(draft.name, topicsOf(draft)));
      const agent = await store.insert(draft, deps.now(), (created) =>
        deps.topics.ensureAgentTopics(topicsOf(created)),
      );
      return announce('created', agent);
    },

    /** `activeOnly`: the v1 API cannot see (so cannot change) soft-deleted agents. */
    async update(id: number, changes: AgentChanges, activeOnly: boolean): Promise<Agent> {
      const current = await requireAgent(id, activeOnly);
      const draft = changeAgent(current, changes);
      assertNoConflict(draft, await store.findRivals(draft.name, topicsOf(draft)), id);
      const agent = await store.update(id, draft, deps.now(), (updated) =>
        updated.active ? deps.topics.ensureAgentTopics(topicsOf(updated)) : Promise.resolve(),
      );
      if (!agent) throw agentNotFound(id);
      return announce(current.active && !agent.active ? 'deleted' : 'updated', agent);
    },

    /** Soft delete. Topics are kept: they may still hold messages someone wants to read. */
    async remove(id: number, options: { idempotent: boolean }): Promise<Agent> {
      const current = await requireAgent(id, !options.idempotent);
      if (!current.active) return current;
      const agent = await store.update(
        id,
        changeAgent(current, { active: false }),
        deps.now(),
        async () => {},
      );
      if (!agent) throw agentNotFound(id);
      return announce('deleted', agent);
    },

    /** Provisions every active agent's topics and republishes every agent's state (start and resync). */
    async republishAll(): Promise<number> {
      const agents = await store.all();
      const active = agents.filter((agent) => agent.active);
      await deps.topics.ensureAgentTopics(active.flatMap(topicsOf));
      await deps.publisher.publish(
        agents.map((agent) => ({ type: 'snapshot' as const, agent })),
        deps.now(),
      );
      return agents.length;
    },
  };
}
