import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { describe, expect, it } from 'vitest';
import type { MessageStore } from './ports.js';
import { relayReply } from './reply-relay.js';

const reply: OperatorMessage = {
  id: 'k-1',
  wa_id: '55',
  direction: 'out',
  type: 'text',
  text: 'Sure!',
  timestamp: '2026-01-10T12:00:00.000Z',
  status: 'pending',
};

function deps(stored: OperatorMessage[] = [reply]) {
  const ids = new Set<string>();
  const lookups: string[] = [];
  const messages = {
    get: async (id: string) => {
      lookups.push(id);
      return stored.find((message) => message.id === id) ?? null;
    },
  } as unknown as MessageStore;
  return {
    messages,
    pushed: { has: (id: string) => ids.has(id), add: (id: string) => void ids.add(id) },
    ids,
    lookups,
  };
}

const out = (fields: Partial<AgentOutboundMessage> = {}): AgentOutboundMessage => ({
  v: 1,
  waID: '55',
  message_type: 'text',
  text: 'Sure!',
  idempotency_key: 'k-1',
  ...fields,
});

describe('relayReply', () => {
  it('pushes a stored reply once, then skips the same key (a resend or a redelivered record)', async () => {
    const d = deps();
    expect(await relayReply(d, out())).toEqual({ kind: 'push', message: reply });
    expect(await relayReply(d, out())).toEqual({ kind: 'skip', reason: 'already_pushed' });
    expect(d.lookups).toEqual(['k-1']);
  });

  it('skips a reply this instance already pushed when the operator sent it', async () => {
    const d = deps();
    d.pushed.add('k-1');
    expect(await relayReply(d, out())).toEqual({ kind: 'skip', reason: 'already_pushed' });
    expect(d.lookups).toEqual([]);
  });

  it('ignores read receipts, reactions, keyless records and keys that are no stored reply', async () => {
    const d = deps([reply, { ...reply, id: 'in-1', direction: 'in' }]);
    const receipt = out({ message_type: 'mark_as_read', idempotency_key: 'read:wamid.1' });
    expect(await relayReply(d, receipt)).toEqual({ kind: 'skip', reason: 'not_a_reply' });
    expect(await relayReply(d, out({ message_type: 'reaction' }))).toMatchObject({ reason: 'not_a_reply' });
    expect(await relayReply(d, out({ idempotency_key: undefined }))).toMatchObject({ reason: 'not_a_reply' });
    expect(await relayReply(d, out({ idempotency_key: 'nope' }))).toMatchObject({ reason: 'not_stored' });
    expect(await relayReply(d, out({ idempotency_key: 'in-1' }))).toMatchObject({ reason: 'not_stored' });
    expect(d.ids.size).toBe(0);
  });
});
