import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { describe, expect, it } from 'vitest';
import type { MessageStore, OutboundPort } from './ports.js';
import { sendReadReceipt } from './read-receipt.js';

const now = new Date('2026-01-10T12:00:00Z');
const inbound: OperatorMessage = {
  id: 'wamid.1',
  wamid: 'wamid.1',
  wa_id: '55',
  direction: 'in',
  type: 'text',
  text: 'hi',
  timestamp: '2026-01-10T11:59:00.000Z',
};

function fakes(newest: OperatorMessage | null, failPublish = false) {
  const claimed = new Set<string>();
  const sent: string[] = [];
  const messages = {
    latestInbound: async () => newest,
    claimReadReceipt: async (id: string) => !claimed.has(id) && Boolean(claimed.add(id)),
    releaseReadReceipt: async (id: string) => void claimed.delete(id),
  } as unknown as MessageStore;
  const outbound: OutboundPort = {
    publish: async () => undefined,
    markAsRead: async (waId, wamid) => {
      if (failPublish) throw new Error('kafka down');
      sent.push(`${waId}:${wamid}`);
    },
    typing: async () => undefined,
  };
  return { deps: { messages, outbound }, claimed, sent };
}

describe('sendReadReceipt', () => {
  it('sends one mark_as_read for the newest inbound message, nothing on the next click', async () => {
    const { deps, sent } = fakes(inbound);
    expect(await sendReadReceipt(deps, '55', now)).toBe('sent');
    expect(await sendReadReceipt(deps, '55', now)).toBe('already_sent');
    expect(sent).toEqual(['55:wamid.1']);
  });

  it('has nothing to send without an inbound message that has a wamid', async () => {
    expect(await sendReadReceipt(fakes(null).deps, '55', now)).toBe('nothing_to_read');
    const noWamid = { ...inbound, wamid: undefined };
    expect(await sendReadReceipt(fakes(noWamid).deps, '55', now)).toBe('nothing_to_read');
  });

  it('gives the claim back when the receipt cannot be queued, so the next click retries', async () => {
    const { deps, claimed } = fakes(inbound, true);
    expect(await sendReadReceipt(deps, '55', now)).toBe('failed');
    expect(claimed.size).toBe(0);
  });
});
