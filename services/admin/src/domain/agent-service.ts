import type { AgentChangeType, AgentKafkaCredential } from '@wa-broker/shared/agents';
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
import type {
  AgentAccessManager,
  AgentChangePublisher,
  AgentQuery,
  AgentStore,
  TopicProvisioner,
} from './ports.js';

export interface AgentServiceDeps {
  store: AgentStore;
  topics: TopicProvisioner;
  publisher: AgentChangePublisher;
  /** Kafka credentials and ACLs per agent; absent: the admin does not manage Kafka access (AGENT_KAFKA_ACCESS). */
  access?: AgentAccessManager;
  now: () => Date;
  /** Told when a committed change could not be announced, so a resync can follow. */
  onPublishFailed: (error: unknown, agent: Agent) => void;
}

export type AgentService = ReturnType<typeof createAgentService>;

/** An agent and, when this call issued one, its Kafka credential (shown once). */
export interface AgentWithCredential {
  agent: Agent;
  credential?: AgentKafkaCredential;
}

const topicsChanged = (before: Agent, after: Agent) =>
  before.readTopic !== after.readTopic ||
  before.writeTopic !== after.writeTopic ||
  before.errorTopic !== after.errorTopic;

/**
 * The agent use cases. Order matters: topics are created inside the DB transaction (no agent without its
 * topics), the change event is published after the commit (the router never hears of a rolled-back agent).
 */
export function createAgentService(deps: AgentServiceDeps) {
  const { store, access } = deps;

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

    /** Topics and (when managed) the Kafka credential are made inside the transaction: no agent without them. */
    async create(input: NewAgent): Promise<AgentWithCredential> {
      const draft = draftAgent(input);
      assertNoConflict(draft, await store.findRivals(draft.name, topicsOf(draft)));
      let credential: AgentKafkaCredential | undefined;
      const agent = await store.insert(draft, deps.now(), async (created) => {
        await deps.topics.ensureAgentTopics(topicsOf(created));
        credential = await access?.issue(created);
      });
      await announce('created', agent);
      return { agent, ...(credential ? { credential } : {}) };
    },

    /**
     * `activeOnly`: the v1 API cannot see (so cannot change) soft-deleted agents. Deactivating revokes the agent's
     * Kafka access before the change commits (if that fails, the agent stays active and the call fails); restoring
     * issues a new credential; new topics move the rights with them (the credential stays).
     */
    async update(id: number, changes: AgentChanges, activeOnly: boolean): Promise<AgentWithCredential> {
      const current = await requireAgent(id, activeOnly);
      const draft = changeAgent(current, changes);
      assertNoConflict(draft, await store.findRivals(draft.name, topicsOf(draft)), id);
      let credential: AgentKafkaCredential | undefined;
      const agent = await store.update(id, draft, deps.now(), async (updated) => {
        if (!updated.active) {
          if (current.active) await access?.revoke(current);
          return;
        }
        await deps.topics.ensureAgentTopics(topicsOf(updated));
        if (!current.active) credential = await access?.issue(updated);
        else if (topicsChanged(current, updated)) await access?.move(current, updated);
      });
      if (!agent) throw agentNotFound(id);
      await announce(current.active && !agent.active ? 'deleted' : 'updated', agent);
      return { agent, ...(credential ? { credential } : {}) };
    },

    /** Soft delete. Topics are kept (they may still hold messages someone wants to read); Kafka access is not. */
    async remove(id: number, options: { idempotent: boolean }): Promise<Agent> {
      const current = await requireAgent(id, !options.idempotent);
      if (!current.active) return current;
      const agent = await store.update(id, changeAgent(current, { active: false }), deps.now(), async () => {
        await access?.revoke(current);
      });
      if (!agent) throw agentNotFound(id);
      return announce('deleted', agent);
    },

    /** A new Kafka secret for an active agent; the previous one stops working at once. */
    async rotateCredential(id: number): Promise<AgentKafkaCredential> {
      const agent = await requireAgent(id, true);
      if (!access)
        throw new DomainError<AdminErrorCode>(
          'kafka_access_unmanaged',
          'this admin does not manage Kafka credentials (AGENT_KAFKA_ACCESS=false)',
          { id },
        );
      return access.issue(agent);
    },

    /** Provisions every active agent's topics and republishes every agent's state (start and resync). */
    async republishAll(): Promise<number> {
      const agents = await store.all();
      const active = agents.filter((agent) => agent.active);
      await deps.topics.ensureAgentTopics(active.flatMap(topicsOf));
      // Rights only, never secrets: an agent whose ACLs were lost (or that predates them) gets them back.
      await access?.grant(active);
      await deps.publisher.publish(
        agents.map((agent) => ({ type: 'snapshot' as const, agent })),
        deps.now(),
      );
      return agents.length;
    },
  };
}
