import { parseArgs } from 'node:util';
import { writeBenchResult } from '../src/bench-result.js';
import { counterDelta, scrapeCounters } from '../src/metrics-delta.js';
import { type NotificationLoad, runNotificationLoad } from '../src/notify-load.js';
import { startSystem } from '../src/system.js';

/**
 * `pnpm bench:notify [--recipients 1000] [--rate 80] [--warmup 160] [--runs 3]`: `runs` notifications to N simulated
 * users each, one after the other, through notify, the router and the simulator, with the router's per-number limit
 * and the simulator's throughput both at `rate` (the router's default, Meta's 80/s). The services start for the
 * bench, so a first notification to `warmup` other users runs their code paths hot (its figures are kept apart, as
 * `warmup`). The rate figures are the median run's (by sends/s; two cores shared with Kafka and every service make
 * one run's rate swing by a tenth from one minute to the next), every run is in `runs`, and lost, sent twice and
 * Meta's refusals count all of them. Writes bench/results/notify-<date>.json and a line per run in notify.md;
 * exits 1 when a recipient was lost or sent twice.
 */
const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '80' },
    warmup: { type: 'string', default: '160' },
    runs: { type: 'string', default: '3' },
  },
});
const recipients = Number(values.recipients);
const warmupRecipients = Number(values.warmup);
const rate = Number(values.rate);
const runCount = Number(values.runs);
if (!Number.isInteger(runCount) || runCount < 1) {
  console.error(`--runs: a whole number of at least 1 (got ${values.runs})`);
  process.exit(2);
}
const system = await startSystem({
  notify: true,
  agentBackend: false,
  routerEnv: { RATE_LIMIT_PER_NUMBER: String(rate) },
  simulatorEnv: { SIM_THROUGHPUT_PER_SECOND: String(rate) },
});
// The router's sends and limiter waits over the run (its mean wait says whether the limiter held sends back).
const routerSeries = [
  'router_sends_total',
  'router_rate_limiter_wait_seconds',
  'router_send_place_held_seconds',
];
try {
  // A fresh router runs its first sends on cold code (V8 compiles as it goes): not the rate it keeps.
  const warmup =
    warmupRecipients > 0
      ? await runNotificationLoad(system, {
          recipients: warmupRecipients,
          limitPerSecond: rate,
          firstPhone: 15558000000,
          timeoutMs: (warmupRecipients / rate) * 3000 + 30_000,
        })
      : undefined;
  const routerBefore = await scrapeCounters(system.router.url, routerSeries);
  const loads: NotificationLoad[] = [];
  for (let run = 0; run < runCount; run++)
    loads.push(
      await runNotificationLoad(system, {
        recipients,
        limitPerSecond: rate,
        // Other users each run: the pair limit (1 per 6 s per user) must not meet the last run's sends.
        firstPhone: 15559000000 + run * 100_000,
        timeoutMs: (recipients / rate) * 3000 + 30_000,
      }),
    );
  const router_metrics = counterDelta(routerBefore, await scrapeCounters(system.router.url, routerSeries));
  const load = medianRun(loads);
  const total = (count: (run: NotificationLoad) => number) => loads.reduce((sum, run) => sum + count(run), 0);
  const date = new Date().toISOString();
  const result = {
    date,
    ...load,
    figures_from: `the median of ${loads.length} runs by sends/s; lost, sent twice and Meta's refusals: every run; router_metrics: every run`,
    lost: total((run) => run.lost),
    sentTwice: total((run) => run.sentTwice),
    meta130429: total((run) => run.meta130429),
    meta131056: total((run) => run.meta131056),
    runs: loads.map((run) => ({
      sendsPerSecond: run.sendsPerSecond,
      ratio: run.ratio,
      peakSendsInOneSecond: run.peakSendsInOneSecond,
      completedSeconds: run.completedSeconds,
      lost: run.lost,
      sentTwice: run.sentTwice,
      meta130429: run.meta130429,
    })),
    router_metrics,
    ...(warmup
      ? {
          warmup: {
            recipients: warmup.recipients,
            ratio: warmup.ratio,
            sendsInEachSecond: warmup.sendsInEachSecond,
          },
        }
      : {}),
  };
  console.log(JSON.stringify(result, null, 2));
  const rows = loads.map((run) => {
    const c = run.counts;
    return `| ${date} | ${recipients} | ${rate} | ${run.sendsPerSecond.toFixed(1)} (${run.sends} in ${run.sendSeconds.toFixed(1)} s) | ${run.peakSendsInOneSecond} (130429: ${run.meta130429}) | ${run.completedSeconds.toFixed(1)} s | read ${c.read}, delivered ${c.delivered}, sent ${c.sent}, failed ${c.failed}, queued ${c.queued} | ${run.lost} | ${run.sentTwice} |`;
  });
  console.log(rows.join('\n'));
  writeBenchResult('notify', result, {
    header:
      '# pnpm bench:notify\n\n| date | recipients | limit/s | sent/s (first→last send) | peak in 1 s | all read after | final counts | lost | sent twice |\n|---|---|---|---|---|---|---|---|---|\n',
    row: rows.join('\n'),
  });
  const clean = [...loads, ...(warmup ? [warmup] : [])].every((run) => run.lost === 0 && run.sentTwice === 0);
  process.exitCode = clean && loads.every((run) => run.sends === recipients) ? 0 : 1;
} finally {
  await system.stop();
}

/** The run whose sends/s is the median (the lower middle one of an even count). */
function medianRun(loads: readonly NotificationLoad[]): NotificationLoad {
  const sorted = [...loads].sort((a, b) => a.sendsPerSecond - b.sendsPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no notification run');
  return middle;
}
