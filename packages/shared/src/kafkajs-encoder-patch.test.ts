import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

// The encoder part of the patch (webhook CPU per request, issue 22): the CPU's CRC32C, unzeroed buffers, encoders
// sized for their record. What leaves the encoder must be byte for byte what kafkajs wrote before.
describe('kafkajs record batch encoding, patched (patches/kafkajs@2.2.4.patch)', () => {
  type Encoded = { buffer: Buffer };
  const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
  const tableCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (
    buffer: Buffer,
  ) => number;
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
    RecordBatch: (batch: { records: Encoded[]; firstSequence?: number }) => Promise<Encoded>;
  };
  const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: {
    offsetDelta: number;
    key: string | Buffer | null;
    value: string | Buffer | null;
    headers: Record<string, string | Buffer | (string | Buffer)[]>;
  }) => Encoded;
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
    decoder: unknown,
  ) => Promise<{
    records: {
      key: Buffer | null;
      value: Buffer | null;
      headers: Record<string, Buffer | Buffer[] | null>;
    }[];
  }>;
  const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;

  it('checksums with @node-rs/crc32, resolved from kafkajs itself, and equals the table-driven CRC32C', () => {
    const fromKafkajs = createRequire(require.resolve('kafkajs'));
    expect(typeof (fromKafkajs('@node-rs/crc32') as { crc32c: unknown }).crc32c).toBe('function');
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value (RFC 3720 B.4)
    for (const size of [0, 1, 7, 8, 63, 64, 511, 512, 4096, 70_001]) {
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + size) & 0xff));
      expect(crc32C(bytes)).toBe(tableCrc32C(bytes));
    }
  });

  it('encodes records of every size with their headers so that kafkajs decodes them unchanged', async () => {
    type Header = string | Buffer | (string | Buffer)[];
    const records: {
      key: string | Buffer | null;
      value: string | Buffer | null;
      headers: Record<string, Header>;
    }[] = [
      { key: 'user-1', value: 'x', headers: {} },
      {
        key: '15551234567',
        value: JSON.stringify({ text: 'olá 👋'.repeat(300) }),
        headers: { 'trace-id': 't-1' },
      },
      {
        key: null,
        value: Buffer.alloc(5000, 7),
        headers: { a: ['1', '2'], b: Buffer.from([0, 255]), c: 'ü'.repeat(600) },
      },
      { key: Buffer.from('k'), value: null, headers: { traceparent: '00-abc-def-01' } },
    ];
    const batch = await RecordBatch({
      records: records.map((record, offsetDelta) => encodeRecord({ offsetDelta, ...record })),
    });
    const decoded = await decodeBatch(new Decoder(batch.buffer));
    expect(decoded.records.map((r) => [r.key?.toString() ?? null, r.value?.toString('hex') ?? null])).toEqual(
      records.map((r) => [
        r.key?.toString() ?? null,
        r.value === null ? null : Buffer.from(r.value).toString('hex'),
      ]),
    );
    expect(decoded.records[2]?.headers).toEqual({
      a: [Buffer.from('1'), Buffer.from('2')],
      b: Buffer.from([0, 255]),
      c: Buffer.from('ü'.repeat(600)),
    });
    // The broker rejects a batch whose checksum does not cover exactly its bytes after the CRC field.
    const body = batch.buffer.subarray(8 + 4 + 4 + 1 + 4);
    expect(batch.buffer.readUInt32BE(8 + 4 + 4 + 1)).toBe(tableCrc32C(body));
  });
});

describe('kafkajs grouping of a send by partition (patched: appended, not copied per message)', () => {
  const group = require('kafkajs/src/producer/groupMessagesPerPartition.js') as (options: {
    topic: string;
    partitionMetadata: unknown[];
    messages: { key: string; value: string }[];
    partitioner: (options: { message: { key: string } }) => number;
  }) => Record<string, { key: string; value: string }[]>;

  it("keeps each partition's messages in send order", () => {
    const messages = Array.from({ length: 5000 }, (_, i) => ({ key: `user-${i % 7}`, value: String(i) }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }) => Number(message.key.slice(5)) % 3,
    });
    expect(Object.keys(grouped).sort()).toEqual(['0', '1', '2']);
    for (const [partition, list] of Object.entries(grouped)) {
      const expected = messages.filter((m) => Number(m.key.slice(5)) % 3 === Number(partition));
      expect(list).toEqual(expected);
    }
  });

  it('groups nothing without partition metadata', () => {
    const partitioner = () => 0;
    expect(
      group({ topic: 't', partitionMetadata: [], messages: [{ key: 'a', value: 'b' }], partitioner }),
    ).toEqual({});
  });
});
