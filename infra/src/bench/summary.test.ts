import { describe, expect, it } from 'vitest';
import { type BenchRun, buildSummary, type Row, toMarkdown, verdictOf } from './summary.js';

const machine = { cores: 2, cpuModel: 'Test CPU', node: 'v24.0.0', platform: 'linux x64', memoryGb: 24 };
const kafka = { description: 'a private node', jvmOptions: ['-Xmx1g', '-XX:+UseG1GC'] };
const load = { before: [0.5, 0.4, 0.3], after: [1.5, 0.9, 0.5] };

/** The shapes the benches write (trimmed to what the summary reads). */
const webhookResult = {
  defaultClient: 'platformatic',
  medians: [
    { label: 'webhook (platformatic), 1 message/POST', connections: 50, rps: 9000, p50: 4, p99: 18 },
    { label: 'webhook (kafkajs), 1 message/POST', connections: 50, rps: 7000, p50: 5, p99: 40 },
  ],
  ratios: { vsNoop: 0.4, vsSignature: 0.6, atConnections: 50 },
  kafka: [
    {
      client: 'platformatic',
      check: { expectedEvents: 100, publishedEvents: 100, expectedRaw: 50, publishedRaw: 50 },
    },
    {
      client: 'kafkajs',
      check: { expectedEvents: 80, publishedEvents: 80, expectedRaw: 40, publishedRaw: 40 },
    },
  ],
};
const routerResult = {
  inbound_burst: { events: 4000, events_per_second: 4000, lost: 0 },
  inbound_paced: { rate: 500, added_p50_ms: 3, added_p99_ms: 12, lost: 0 },
  out_of_order: 0,
  outbound: {
    lost: 0,
    configured_per_second: 80,
    measured_per_second: 78,
    meta_130429: 'would occur',
    pair_limit_held: false,
  },
};

const run = (name: BenchRun['name'], result?: unknown, status: BenchRun['status'] = 'passed'): BenchRun => ({
  name,
  command: `pnpm bench:${name}`,
  status,
  seconds: 60,
  loadAverage: load,
  ...(result === undefined ? {} : { result }),
});

const rowNamed = (rows: Row[], bench: string, figure: string): Row => {
  const row = rows.find((r) => r.bench === bench && r.figure.includes(figure));
  if (!row) throw new Error(`no row ${bench}: ${figure}`);
  return row;
};

describe('buildSummary', () => {
  const summary = buildSummary({
    date: '2026-12-02T00:00:00.000Z',
    machine,
    kafka,
    benches: [
      run('webhook', webhookResult),
      run('router', routerResult),
      run('notify', {
        limitPerSecond: 80,
        sendsPerSecond: 79,
        meta130429: 2,
        meta131056: 0,
        lost: 0,
        router_metrics: { router_send_place_held_seconds_mean_ms: 41.5 },
      }),
      { name: 'e2e', command: 'pnpm bench:e2e', status: 'not run', reason: 'no script' },
    ],
  });

  it('checks each figure against its target', () => {
    expect(rowNamed(summary.rows, 'webhook', 'signature-only')).toMatchObject({
      verdict: 'pass',
      measured: '0.6 ×',
      target: '≥ 0.5 ×',
      ratio: '1.2',
    });
    // The default client's row, not the other client's 40 ms.
    expect(rowNamed(summary.rows, 'webhook', 'p99')).toMatchObject({ verdict: 'pass', measured: '18 ms' });
    expect(rowNamed(summary.rows, 'webhook', 'events acknowledged')).toMatchObject({
      verdict: 'pass',
      value: 0,
    });
    expect(rowNamed(summary.rows, 'router', 'inbound burst')).toMatchObject({
      verdict: 'fail',
      measured: '4000 events/s',
      ratio: '0.8',
    });
    expect(rowNamed(summary.rows, 'router', 'added latency p99')).toMatchObject({
      verdict: 'pass',
      ratio: '0.6',
    });
    expect(rowNamed(summary.rows, 'router', 'added latency p50')).toMatchObject({
      verdict: 'reported',
      target: '',
    });
    expect(rowNamed(summary.rows, 'router', 'sends/s vs')).toMatchObject({ verdict: 'pass', value: 78 / 80 });
  });

  it('fails a figure that is present but not a number, and a rule not held', () => {
    expect(rowNamed(summary.rows, 'router', '130429')).toMatchObject({
      verdict: 'fail',
      measured: 'would occur',
    });
    expect(rowNamed(summary.rows, 'router', 'pair limit held')).toMatchObject({
      verdict: 'fail',
      measured: 'no',
      target: 'yes',
    });
    expect(rowNamed(summary.rows, 'notify', '130429')).toMatchObject({ verdict: 'fail', measured: '2' });
    expect(rowNamed(summary.rows, 'notify', '131056').verdict).toBe('pass');
    expect(rowNamed(summary.rows, 'notify', 'place held')).toMatchObject({
      verdict: 'reported',
      measured: '41.5 ms',
    });
  });

  it('says "not measured" for a key missing from a result, and lists it as a problem', () => {
    expect(rowNamed(summary.rows, 'notify', 'sent twice')).toMatchObject({
      verdict: 'not measured',
      measured: '',
    });
    expect(rowNamed(summary.rows, 'notify', 'most sends in any 1 s').verdict).toBe('not measured');
    expect(summary.problems).toContain(
      'notify: notification: recipients sent twice not measured (not in its result)',
    );
  });

  it('gives an absent bench one "not run" row, which is no problem of the others', () => {
    expect(summary.rows.filter((row) => row.bench === 'e2e')).toEqual([
      { bench: 'e2e', figure: 'every figure', measured: '', target: '', ratio: '', verdict: 'not run' },
    ]);
    expect(summary.problems.some((line) => line.startsWith('e2e'))).toBe(false);
  });

  it('shows a ratio just under its target with the digit that misses it', () => {
    const close = buildSummary({
      date: 'd',
      machine,
      kafka,
      benches: [run('router', { outbound: { configured_per_second: 80, measured_per_second: 75.9 } })],
    });
    expect(rowNamed(close.rows, 'router', 'sends/s vs')).toMatchObject({
      verdict: 'fail',
      measured: '0.949 (75.9/s of 80/s)',
      ratio: '0.999',
    });
  });

  it('is not ok when a target is missed', () => {
    expect(summary.ok).toBe(false);
    expect(summary.problems).toContain('router: inbound burst 4000 events/s, target ≥ 5000 events/s');
  });

  it('is ok when every bench that ran passed and met its targets', () => {
    const good = buildSummary({ date: 'd', machine, kafka, benches: [run('webhook', webhookResult)] });
    expect(good.problems).toEqual([]);
    expect(good.ok).toBe(true);
  });

  it('notes what a bench left behind without failing the run', () => {
    const left = buildSummary({
      date: 'd',
      machine,
      kafka,
      benches: [{ ...run('webhook', webhookResult), leftovers: ['1 topic(s): agent_A-in'] }],
    });
    expect(left.ok).toBe(true);
    expect(left.notes).toEqual([
      'webhook left behind 1 topic(s): agent_A-in (removed before the next bench)',
    ]);
    expect(toMarkdown(left)).toContain('- webhook left behind 1 topic(s): agent_A-in');
  });

  it('reports a failed bench without result once, not once per figure', () => {
    const failed = buildSummary({
      date: 'd',
      machine,
      kafka,
      benches: [{ ...run('router', undefined, 'failed'), reason: 'exit 1' }],
    });
    expect(failed.ok).toBe(false);
    expect(failed.problems).toEqual(['router: failed (exit 1)']);
    expect(failed.rows.every((row) => row.verdict === 'not measured')).toBe(true);
  });

  it('counts one client losing records even when another published more', () => {
    const gap = buildSummary({
      date: 'd',
      machine,
      kafka,
      benches: [
        run('webhook', {
          ...webhookResult,
          kafka: [
            {
              client: 'a',
              check: { expectedEvents: 10, publishedEvents: 9, expectedRaw: 1, publishedRaw: 1 },
            },
            {
              client: 'b',
              check: { expectedEvents: 10, publishedEvents: 11, expectedRaw: 1, publishedRaw: 1 },
            },
          ],
        }),
      ],
    });
    expect(rowNamed(gap.rows, 'webhook', 'events acknowledged')).toMatchObject({ verdict: 'fail', value: 2 });
  });

  it('reads the e2e rows by rate', () => {
    const e2e = buildSummary({
      date: 'd',
      machine,
      kafka,
      benches: [
        run('e2e', {
          rates: [
            {
              target_per_second: 100,
              user_to_operator: { p50_ms: 20, p99_ms: 80 },
              operator_to_phone: { p50_ms: 10, p99_ms: null },
              lost: 0,
              sent_twice: 0,
              out_of_order: 0,
            },
          ],
        }),
      ],
    });
    expect(rowNamed(e2e.rows, 'e2e', '100 msg/s: user → operator p99')).toMatchObject({
      verdict: 'reported',
      measured: '80 ms',
    });
    expect(rowNamed(e2e.rows, 'e2e', '100 msg/s: operator → phone p99').verdict).toBe('not measured');
    expect(rowNamed(e2e.rows, 'e2e', '100 msg/s: lost').verdict).toBe('pass');
    expect(rowNamed(e2e.rows, 'e2e', '500 msg/s: lost').verdict).toBe('not measured');
  });

  it('renders the machine, the Kafka JVM, every row and the load averages', () => {
    const markdown = toMarkdown(summary);
    expect(markdown).toContain('**4 target(s) missed, 3 figure(s) not measured** (problems below).');
    expect(markdown).toContain('2 × Test CPU');
    expect(markdown).toContain('Node v24.0.0');
    expect(markdown).toContain('`-Xmx1g -XX:+UseG1GC`');
    expect(markdown).toContain('| router | inbound burst | 4000 events/s | ≥ 5000 events/s | 0.8 | ✗ |');
    expect(markdown).toContain('| webhook | `pnpm bench:webhook` | passed | 60 | 0.50 → 1.50 |');
    expect(markdown).toContain('| e2e | `pnpm bench:e2e` | not run: no script |');
    expect(markdown.split('\n').filter((line) => line.startsWith('| ')).length).toBe(
      summary.rows.length + summary.benches.length + 4, // and two header and separator lines
    );
  });
});

describe('verdictOf', () => {
  it('compares with each operator', () => {
    expect(verdictOf({ value: 5 }, { op: '>=', value: 5 })).toBe('pass');
    expect(verdictOf({ value: 4.99 }, { op: '>=', value: 5 })).toBe('fail');
    expect(verdictOf({ value: 25 }, { op: '<=', value: 25 })).toBe('pass');
    expect(verdictOf({ value: 1 }, { op: '==', value: 0 })).toBe('fail');
  });

  it('needs a reading; without a target it only reports', () => {
    expect(verdictOf({}, { op: '==', value: 0 })).toBe('not measured');
    expect(verdictOf({}, undefined)).toBe('not measured');
    expect(verdictOf({ value: 3 }, undefined)).toBe('reported');
    expect(verdictOf({ text: 'would occur' }, { op: '==', value: 0 })).toBe('fail');
  });
});
