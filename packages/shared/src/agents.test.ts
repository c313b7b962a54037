import { describe, expect, it } from 'vitest';
import { agentChangeEvent, agentChangeKey, createAgentInput } from './agents.js';

const agent = {
  id: 2,
  name: 'Agent B',
  slug: 'Agent_B',
  description: '',
  read_topic: 'agent_C-in',
  write_topic: 'agent_C-out',
  error_topic: 'agent_C-error',
  active: false,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-02T00:00:00.000Z',
};

describe('agent contracts', () => {
  it('parses a version-1 agent-change event carrying the full record', () => {
    const event = { v: 1, type: 'deleted', agent, published_at: '2025-01-02T00:00:01.000Z' };
    expect(agentChangeEvent.parse(event)).toEqual(event);
  });

  it('rejects another version, an unknown type and a partial record', () => {
    const base = { v: 1, type: 'updated', agent, published_at: '2025-01-02T00:00:01.000Z' };
    expect(agentChangeEvent.safeParse({ ...base, v: 2 }).success).toBe(false);
    expect(agentChangeEvent.safeParse({ ...base, type: 'renamed' }).success).toBe(false);
    const { read_topic: _dropped, ...partial } = agent;
    expect(agentChangeEvent.safeParse({ ...base, agent: partial }).success).toBe(false);
  });

  it('keys events by the decimal agent id', () => {
    expect(agentChangeKey(79)).toBe('79');
  });

  it('validates topic names with Kafka’s rule in the create body', () => {
    expect(createAgentInput.safeParse({ name: 'B', read_topic: 'ok.topic_1-in' }).success).toBe(true);
    expect(createAgentInput.safeParse({ name: 'B', read_topic: 'has space' }).success).toBe(false);
    expect(createAgentInput.safeParse({ name: 'B', error_topic: '..' }).success).toBe(false);
    expect(createAgentInput.safeParse({ name: '  ' }).success).toBe(false);
  });
});
