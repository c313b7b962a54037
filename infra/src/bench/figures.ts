/** Which figures each benchmark's result JSON yields, and the target of each (issue 22). */
import {
  at,
  type BenchName,
  difference,
  type FigureSpec,
  path,
  type Reading,
  reading,
  shareOf,
  sum,
  type Target,
  yes,
  zero,
} from './readings.js';

export type { BenchName, FigureSpec, Reading, Target } from './readings.js';
export { round } from './readings.js';

/**
 * The webhook bench's single-message figures at 50 connections: the median row of its default Kafka client
 * (`medians`, `defaultClient`), or the row of a one-client report (`webhook`).
 */
const webhookAt50 = (result: unknown): unknown => {
  const singleAt50 = (row: unknown) =>
    at(row, 'connections') === 50 && String(at(row, 'label') ?? '').includes('1 message');
  const medians = at(result, 'medians');
  if (Array.isArray(medians)) {
    const client = String(at(result, 'defaultClient') ?? '');
    return medians.find((row) => singleAt50(row) && String(at(row, 'label')).includes(`(${client})`));
  }
  const rows = at(result, 'webhook');
  return Array.isArray(rows) ? rows.find(singleAt50) : undefined;
};

/**
 * Acknowledged − in Kafka, over every client the bench ran (`kafka: [{ client, check }]`, or one `kafka` check):
 * the absolute differences add up, so one client's surplus never hides another's loss.
 */
const kafkaGap =
  (expected: string, published: string) =>
  (result: unknown): Reading => {
    const kafka = at(result, 'kafka');
    const checks = Array.isArray(kafka)
      ? kafka.map((entry) => ({ client: String(at(entry, 'client') ?? '?'), check: at(entry, 'check') }))
      : [{ client: '', check: kafka }];
    const gaps = checks.map(({ client, check }) => ({
      client,
      gap: difference(at(check, expected), at(check, published)),
    }));
    if (gaps.length === 0 || gaps.some(({ gap }) => gap.value === undefined)) return {};
    const total = gaps.reduce((sum, { gap }) => sum + Math.abs(gap.value ?? 0), 0);
    const each = gaps.map(({ client, gap }) => `${client ? `${client} ` : ''}${gap.text}`).join(', ');
    return { value: total, text: `${total}: ${each}` };
  };

const webhook: FigureSpec[] = [
  {
    bench: 'webhook',
    name: 'single-message POSTs at 50 connections',
    unit: 'req/s',
    read: (r) => reading(at(webhookAt50(r), 'rps')),
  },
  {
    bench: 'webhook',
    name: 'req/s vs the signature-only reference route (50 connections)',
    unit: '×',
    target: { op: '>=', value: 0.5 },
    read: path('ratios', 'vsSignature'),
  },
  {
    bench: 'webhook',
    name: 'p99 at 50 connections',
    unit: 'ms',
    target: { op: '<=', value: 25 },
    read: (r) => reading(at(webhookAt50(r), 'p99')),
  },
  {
    bench: 'webhook',
    name: 'Kafka check: events acknowledged − events in Kafka',
    target: zero,
    read: kafkaGap('expectedEvents', 'publishedEvents'),
  },
  {
    bench: 'webhook',
    name: 'Kafka check: raw deliveries acknowledged − in Kafka',
    target: zero,
    read: kafkaGap('expectedRaw', 'publishedRaw'),
  },
];

const router: FigureSpec[] = [
  {
    bench: 'router',
    name: 'inbound burst',
    unit: 'events/s',
    target: { op: '>=', value: 5000 },
    read: path('inbound_burst', 'events_per_second'),
  },
  {
    bench: 'router',
    name: 'added latency p50 at 500 events/s',
    unit: 'ms',
    read: path('inbound_paced', 'added_p50_ms'),
  },
  {
    bench: 'router',
    name: 'added latency p99 at 500 events/s',
    unit: 'ms',
    target: { op: '<=', value: 20 },
    read: path('inbound_paced', 'added_p99_ms'),
  },
  {
    bench: 'router',
    name: 'inbound lost (burst + paced)',
    target: zero,
    read: (r) => sum(at(r, 'inbound_burst', 'lost'), at(r, 'inbound_paced', 'lost')),
  },
  { bench: 'router', name: 'inbound out of order', target: zero, read: path('out_of_order') },
  {
    bench: 'router',
    name: 'agent replies: sends/s vs the per-number limit',
    unit: '×',
    target: { op: '>=', value: 0.95 },
    read: (r) =>
      shareOf(at(r, 'outbound', 'measured_per_second'), at(r, 'outbound', 'configured_per_second')),
  },
  { bench: 'router', name: 'agent replies lost', target: zero, read: path('outbound', 'lost') },
  {
    bench: 'router',
    name: 'agent replies: Meta 130429 (over the per-number limit)',
    target: zero,
    read: path('outbound', 'meta_130429'),
  },
  {
    bench: 'router',
    name: 'agent replies: pair limit held',
    target: { op: '==', value: 1 },
    read: (r) => yes(at(r, 'outbound', 'pair_limit_held')),
  },
];

const notify: FigureSpec[] = [
  {
    bench: 'notify',
    name: 'notification: sends/s vs the per-number limit (median of the runs)',
    unit: '×',
    target: { op: '>=', value: 0.95 },
    read: (r) => shareOf(at(r, 'sendsPerSecond'), at(r, 'limitPerSecond')),
  },
  {
    bench: 'notify',
    name: 'notification: Meta 130429 (over the per-number limit)',
    target: zero,
    read: path('meta130429'),
  },
  {
    bench: 'notify',
    name: 'notification: Meta 131056 (over the pair limit)',
    target: zero,
    read: path('meta131056'),
  },
  {
    bench: 'notify',
    name: 'notification: most sends in any 1 s',
    unit: 'sends',
    read: path('peakSendsInOneSecond'),
  },
  { bench: 'notify', name: 'notification: recipients lost', target: zero, read: path('lost') },
  { bench: 'notify', name: 'notification: recipients sent twice', target: zero, read: path('sentTwice') },
  {
    bench: 'notify',
    // From its place in the number's window to its answer (the limiter's lost capacity: a place is held a window from
    // the answer), on the router's own metric; no meter stands between the router and the simulator.
    name: 'notification: a send’s place held until its answer (router), mean',
    unit: 'ms',
    read: path('router_metrics', 'router_send_place_held_seconds_mean_ms'),
  },
  {
    bench: 'notify',
    name: 'notification: POST → every recipient read',
    unit: 's',
    read: path('completedSeconds'),
  },
];

/** The e2e bench's row of one rate (`rates[].target_per_second`). */
const e2eRate = (result: unknown, rate: number): unknown => {
  const rows = at(result, 'rates');
  return Array.isArray(rows) ? rows.find((row) => at(row, 'target_per_second') === rate) : undefined;
};

function e2eFigures(rate: number): FigureSpec[] {
  const of =
    (...steps: string[]) =>
    (r: unknown) =>
      reading(at(e2eRate(r, rate), ...steps));
  const spec = (name: string, read: FigureSpec['read'], unit?: string, target?: Target): FigureSpec => ({
    bench: 'e2e',
    name: `${rate} msg/s: ${name}`,
    ...(unit ? { unit } : {}),
    ...(target ? { target } : {}),
    read,
  });
  return [
    spec('user messages accepted', of('achieved_per_second'), 'msg/s'),
    spec('user → operator p50', of('user_to_operator', 'p50_ms'), 'ms'),
    spec('user → operator p99', of('user_to_operator', 'p99_ms'), 'ms'),
    spec('operator → phone p50', of('operator_to_phone', 'p50_ms'), 'ms'),
    spec('operator → phone p99', of('operator_to_phone', 'p99_ms'), 'ms'),
    spec('lost', of('lost'), undefined, zero),
    spec('sent twice', of('sent_twice'), undefined, zero),
    spec('out of order', of('out_of_order'), undefined, zero),
  ];
}

const media: FigureSpec[] = [
  { bench: 'media', name: 'photos stored', unit: 'files/s', read: path('storedPerSecond') },
  { bench: 'media', name: 'send → stored p99', unit: 'ms', read: path('sendToStoredMs', 'p99') },
  { bench: 'media', name: 'photos not stored', target: zero, read: path('notStored') },
  { bench: 'media', name: 'photos stored twice', target: zero, read: path('storedTwice') },
];

export const figureSpecs: Record<BenchName, FigureSpec[]> = {
  webhook,
  router,
  notify,
  e2e: [...e2eFigures(100), ...e2eFigures(500)],
  media,
};
