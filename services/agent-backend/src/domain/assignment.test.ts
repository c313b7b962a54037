import { describe, expect, it } from 'vitest';
import { isPastGrace, pickRoundRobin, planAssignment } from './assignment.js';
import type { Actor } from './ports.js';

const ana: Actor = { id: 'ana', name: 'Ana', email: 'ana@x', role: 'operator' };
const boss: Actor = { id: 'boss', name: 'Boss', email: 'boss@x', role: 'admin' };
const queued = { wa_id: 'u1', assignee: null };
const anas = { wa_id: 'u1', assignee: 'ana' };
const bens = { wa_id: 'u1', assignee: 'ben' };

describe('assignment rules', () => {
  it('claims from the queue only; a claim of one’s own is a no-op', () => {
    expect(planAssignment({ kind: 'claim' }, ana, queued)).toEqual({ from: null, to: 'ana' });
    expect(planAssignment({ kind: 'claim' }, ana, anas)).toBeNull();
    expect(() => planAssignment({ kind: 'claim' }, ana, bens)).toThrow(/colleague/);
  });

  it('lets the assignee or an admin release and hand over, not a colleague', () => {
    expect(planAssignment({ kind: 'release' }, ana, anas)).toEqual({ from: 'ana', to: null });
    expect(planAssignment({ kind: 'release' }, boss, bens)).toEqual({ from: 'ben', to: null });
    expect(() => planAssignment({ kind: 'release' }, ana, bens)).toThrow(/assignee or an admin/);
    const toBen = { kind: 'hand_over' as const, to: 'ben', targetEnabled: true };
    expect(planAssignment(toBen, ana, anas)).toEqual({ from: 'ana', to: 'ben' });
    expect(planAssignment(toBen, ana, queued)).toEqual({ from: null, to: 'ben' });
    expect(() => planAssignment({ ...toBen, to: 'cai' }, ana, bens)).toThrow();
    expect(() => planAssignment({ ...toBen, targetEnabled: false }, ana, anas)).toThrow(/enabled/);
  });

  it('picks round robin after the last one, skipping the full, wrapping around', () => {
    const online = [
      { id: 'c', load: 0 },
      { id: 'a', load: 1 },
      { id: 'b', load: 2 },
    ];
    expect(pickRoundRobin(online, null, 2)).toBe('a');
    expect(pickRoundRobin(online, 'a', 2)).toBe('c'); // b is full
    expect(pickRoundRobin(online, 'c', 2)).toBe('a');
    expect(pickRoundRobin(online, 'zz', 3)).toBe('a');
    expect(pickRoundRobin(online, 'a', 0)).toBeNull();
    expect(pickRoundRobin([], null, 5)).toBeNull();
  });

  it('is past the grace time only after it', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    expect(isPastGrace(new Date('2026-05-01T09:58:00Z'), 60_000, now)).toBe(true);
    expect(isPastGrace(new Date('2026-05-01T09:59:30Z'), 60_000, now)).toBe(false);
    expect(isPastGrace(null, 60_000, now)).toBe(true);
  });
});
