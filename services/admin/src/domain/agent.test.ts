import { DomainError } from '@wa-broker/shared/errors';
import { describe, expect, it } from 'vitest';
import { type Agent, assertNoConflict, changeAgent, draftAgent } from './agent.js';

const at = new Date('2025-01-01T00:00:00Z');
const agentA: Agent = {
  id: 1,
  name: 'Agent A',
  slug: 'Agent_A',
  description: '',
  readTopic: 'agent_A-in',
  writeTopic: 'agent_A-out',
  errorTopic: 'agent_A-error',
  active: true,
  createdAt: at,
  updatedAt: at,
};

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'other';
  }
  return 'none';
};

describe('draftAgent', () => {
  it('defaults the topics to <slug>-in/-out/-error', () => {
    expect(draftAgent({ name: '  Vendas São Paulo ' })).toEqual({
      name: 'Vendas São Paulo',
      slug: 'Vendas_Sao_Paulo',
      description: '',
      readTopic: 'Vendas_Sao_Paulo-in',
      writeTopic: 'Vendas_Sao_Paulo-out',
      errorTopic: 'Vendas_Sao_Paulo-error',
      active: true,
    });
  });

  it('keeps given topics', () => {
    expect(draftAgent({ name: 'B', readTopic: 'x-in' })).toMatchObject({
      readTopic: 'x-in',
      writeTopic: 'B-out',
    });
  });

  it('rejects a topic used twice by the same agent, naming the field', () => {
    expect(() => draftAgent({ name: 'B', readTopic: 'same', errorTopic: 'same' })).toThrow(
      'error_topic: must differ from read_topic',
    );
  });

  it('rejects a topic name Kafka would refuse', () => {
    expect(codeOf(() => draftAgent({ name: 'B', writeTopic: '..' }))).toBe('invalid_agent');
  });
});

describe('changeAgent', () => {
  it('renames without moving the slug or the topics', () => {
    expect(changeAgent(agentA, { name: 'Agent Z', description: undefined })).toMatchObject({
      name: 'Agent Z',
      slug: 'Agent_A',
      readTopic: 'agent_A-in',
    });
  });

  it('deactivates', () => {
    expect(changeAgent(agentA, { active: false }).active).toBe(false);
  });
});

describe('assertNoConflict', () => {
  const draft = draftAgent({ name: 'Agent B' });

  it('refuses a name another active agent has', () => {
    expect(codeOf(() => assertNoConflict({ ...draft, name: 'Agent A' }, [agentA]))).toBe('agent_exists');
  });

  it('refuses a topic another active agent uses in any role', () => {
    expect(codeOf(() => assertNoConflict({ ...draft, readTopic: 'agent_A-error' }, [agentA]))).toBe(
      'topic_in_use',
    );
  });

  it('ignores inactive agents and the agent itself', () => {
    expect(codeOf(() => assertNoConflict(changeAgent(agentA, {}), [agentA], 1))).toBe('none');
    const deleted = { ...agentA, active: false };
    expect(codeOf(() => assertNoConflict({ ...draft, name: 'Agent A' }, [deleted]))).toBe('none');
  });

  it('lets an inactive draft through (a delete never conflicts)', () => {
    expect(codeOf(() => assertNoConflict({ ...draft, name: 'Agent A', active: false }, [agentA]))).toBe(
      'none',
    );
  });
});
