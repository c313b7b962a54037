import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { committedOffsetReader } from './committed-offsets.kafka.js';

/** An admin whose successive offset fetches answer the scripted offsets for partition 0 ('-1': none). */
function scriptedAdmin(answers: string[]) {
  const fetched: number[] = [];
  const admin = {
    fetchOffsets: async () => {
      fetched.push(Date.now());
      const offset = answers.shift() ?? '-1';
      return [{ topic: 't', partitions: [{ partition: 0, offset, metadata: null }] }];
    },
  } as unknown as Admin;
  return { admin, fetched };
}

describe('committedOffsetReader', () => {
  it("keeps the second read when the coordinator applied a completed transaction's offsets meanwhile", async () => {
    const { admin, fetched } = scriptedAdmin(['10', '25']);
    expect(await committedOffsetReader(admin, 'g', { settleMs: 20 })('t', 0)).toBe('25');
    expect(fetched).toHaveLength(2);
    expect((fetched[1] ?? 0) - (fetched[0] ?? 0)).toBeGreaterThanOrEqual(15);
  });

  it('never goes back (offsets only move forward), and says null only when neither read found one', async () => {
    expect(await committedOffsetReader(scriptedAdmin(['25', '10']).admin, 'g', { settleMs: 1 })('t', 0)).toBe(
      '25',
    );
    expect(await committedOffsetReader(scriptedAdmin(['-1', '7']).admin, 'g', { settleMs: 1 })('t', 0)).toBe(
      '7',
    );
    expect(await committedOffsetReader(scriptedAdmin(['7', '-1']).admin, 'g', { settleMs: 1 })('t', 0)).toBe(
      '7',
    );
    expect(
      await committedOffsetReader(scriptedAdmin(['-1', '-1']).admin, 'g', { settleMs: 1 })('t', 0),
    ).toBeNull();
  });

  it('answers what this process committed itself when the group still shows an older offset', async () => {
    const known = (topic: string, partition: number) => (topic === 't' && partition === 0 ? 61n : null);
    const reader = committedOffsetReader(scriptedAdmin(['50', '50']).admin, 'g', { settleMs: 1, known });
    expect(await reader('t', 0)).toBe('61');
    const ahead = committedOffsetReader(scriptedAdmin(['70', '70']).admin, 'g', { settleMs: 1, known });
    expect(await ahead('t', 0)).toBe('70');
    const unknown = committedOffsetReader(scriptedAdmin(['-1', '-1']).admin, 'g', { settleMs: 1, known });
    expect(await unknown('t', 1)).toBeNull();
  });
});
