import { describe, expect, it } from 'vitest';
import { agentErrorTopic, agentInTopic, agentOutTopic, agentSlug, isValidTopicName } from './topics.js';

describe('topic names', () => {
  it('derives the original per-agent topic names from a slug', () => {
    expect([agentInTopic('agent_A'), agentOutTopic('agent_A'), agentErrorTopic('agent_A')]).toEqual([
      'agent_A-in',
      'agent_A-out',
      'agent_A-error',
    ]);
  });

  it('slugs display names into valid topic bases', () => {
    expect(agentSlug('Agent A')).toBe('Agent_A');
    expect(agentSlug('  Vendas São Paulo!  ')).toBe('Vendas_Sao_Paulo');
    expect(isValidTopicName(agentInTopic(agentSlug('Ünïcode / weird *name*')))).toBe(true);
  });

  it("applies Kafka's rules", () => {
    expect(isValidTopicName('agent_A-in')).toBe(true);
    expect(isValidTopicName('..')).toBe(false);
    expect(isValidTopicName('has space')).toBe(false);
    expect(isValidTopicName('x'.repeat(250))).toBe(false);
  });
});
