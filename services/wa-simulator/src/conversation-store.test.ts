import { describe, expect, it } from 'vitest';
import { ConversationStore } from './conversation-store.js';
import { userForAddress } from './domain/bsuid.js';

const store = () => new ConversationStore((address) => userForAddress('1001', address));
const message = (phoneNumberId: string, at: string, direction: 'in' | 'out' = 'in') => ({
  wamid: `wamid.${phoneNumberId}.${at}.${direction}`,
  phone_number_id: phoneNumberId,
  direction,
  at,
  type: 'text',
  content: {},
});

describe('ConversationStore with several business numbers', () => {
  it('keeps the 24 h window per (user, number): a message to one number opens only its window', () => {
    const memory = store();
    memory.add('15550001111', message('2001', '2026-11-23T10:00:00.000Z'));
    memory.add('15550001111', message('2002', '2026-11-23T11:00:00.000Z'));
    memory.add('15550001111', message('2002', '2026-11-23T12:00:00.000Z', 'out'));
    expect(memory.lastInboundAt('15550001111', '2001')?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(memory.lastInboundAt('15550001111', '2002')?.toISOString()).toBe('2026-11-23T11:00:00.000Z');
    expect(memory.lastInboundAt('15550001111', '2003')).toBeUndefined();
    memory.setLastInboundAt('15550001111', '2002', new Date('2026-11-01T00:00:00Z'));
    expect(memory.lastInboundAt('15550001111', '2001')?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(memory.listUsers()[0]).toMatchObject({
      lastInboundAt: '2026-11-23T10:00:00.000Z',
      lastInboundByNumber: { '2001': '2026-11-23T10:00:00.000Z', '2002': '2026-11-01T00:00:00.000Z' },
    });
  });

  it("lists the user's entries with every number, or the chat with one", () => {
    const memory = store();
    memory.add('15550001111', message('2001', '2026-11-23T10:00:00.000Z'));
    memory.add('15550001111', message('2002', '2026-11-23T11:00:00.000Z'));
    expect(memory.entries('15550001111').map((entry) => entry.phone_number_id)).toEqual(['2001', '2002']);
    expect(memory.entries('15550001111', 0, '2002').map((entry) => entry.phone_number_id)).toEqual(['2002']);
  });

  it('marks read only the thread of the number that asks, up to the message it names', () => {
    const memory = store();
    const toA = memory.add('15550001111', message('2001', '2026-11-23T10:00:00.000Z'));
    const toB = memory.add('15550001111', message('2002', '2026-11-23T11:00:00.000Z'));
    const toBLater = memory.add('15550001111', message('2002', '2026-11-23T12:00:00.000Z'));
    expect(memory.markReadByBusiness(toB.wamid, '2001')).toBe(false);
    expect(memory.markReadByBusiness(toBLater.wamid, '2002')).toBe(true);
    expect(
      memory.entries('15550001111').map((entry) => [entry.wamid, entry.readByBusiness ?? false]),
    ).toEqual([
      [toA.wamid, false],
      [toB.wamid, true],
      [toBLater.wamid, true],
    ]);
  });
});
