import { readFileSync } from 'node:fs';
import type { Agent } from '../domain/agent.js';
import type { MenuTexts } from '../domain/menu.js';
import type { RouterTexts } from '../domain/session.js';

export const texts: RouterTexts & MenuTexts = {
  greeting: 'Hi! Who would you like to talk to?',
  listButton: 'Choose an agent',
  sectionTitle: 'Available agents',
  moreTitle: 'More agents…',
  firstPageTitle: 'Back to the start',
  exitKeyword: '#exit',
  goodbye: 'Conversation finished. Back to the main menu.',
  connecting: 'Connecting you to {agent}.',
  agentUnavailable: '{agent} is no longer available.',
  noAgents: 'No one is available right now.',
  endedByAgent: '{agent} ended the conversation.',
  transferred: 'You are now talking to {agent}.',
};

export function agent(id: string, overrides: Partial<Agent> = {}): Agent {
  return {
    id,
    name: `Agent ${id}`,
    active: true,
    topics: { in: `${id}-in`, out: `${id}-out`, error: `${id}-error` },
    ...overrides,
  };
}

export function agents(count: number): Agent[] {
  return Array.from({ length: count }, (_, i) => agent(`a${i + 1}`));
}

const fixtureDir = new URL('../../../../../shared/fixtures/meta/', import.meta.url);

/** The first `messages[]` (or `statuses[]`) item of a Meta fixture, with its contact. */
export function metaItem(file: string): {
  item: Record<string, unknown>;
  contact: { wa_id: string; name?: string };
} {
  const body = JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8'));
  const value = body.entry[0].changes[0].value;
  const item = value.messages?.[0] ?? value.statuses?.[0];
  const contact = value.contacts?.[0];
  return { item, contact: { wa_id: contact?.wa_id ?? item.recipient_id, name: contact?.profile?.name } };
}
