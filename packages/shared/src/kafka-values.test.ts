import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readableValues } from './kafka.js';

const record = (offset: string, value: string | null): KafkaMessage => ({
  key: null,
  value: value === null ? null : Buffer.from(value),
  offset,
  timestamp: '0',
  attributes: 0,
  headers: {},
});

describe('readableValues', () => {
  it('keeps the values the schema reads, in order, and hands every other record to unreadable', () => {
    const unreadable: string[] = [];
    const values = readableValues(
      [
        record('0', '{"n":1}'),
        record('1', 'not json'),
        record('2', '{"n":"x"}'),
        record('3', null),
        record('4', '{"n":2}'),
      ],
      z.object({ n: z.number() }),
      (message) => unreadable.push(message.offset),
    );
    expect(values).toEqual([{ n: 1 }, { n: 2 }]);
    expect(unreadable).toEqual(['1', '2', '3']);
  });
});
