import { parseArgs } from 'node:util';
import { writeBenchResult } from '../src/bench-result.js';
import { counterDelta, scrapeCounters } from '../src/metrics-delta.js';
import { runNotificationLoad } from '../src/notify-load.js';
import { startSystem } from '../src/system.js';

/**
 * `pnpm bench:notify [--recipients 1000] [--rate 80] [--warmup 160]`: one notification to N simulated users through
 * notify, the router and the simulator, with the router's per-number limit and the simulator's throughput both at
 * `rate` (the router's default, Meta's 80/s). The services start for the bench, so a first notification to
 * `warmup` other users runs their code paths hot (its figures are kept apart, as `warmup`). Writes
 * bench/results/notify-<date>.json and a line in notify.md; exits 1 when a recipient was lost or sent twice.
 */
const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '80' },
    warmup: { type: 'string', default: '160' },
  },
});
const recipients = Number(values.recipients);
const warmupRecipients = Number(values.warmup);
const rate = Number(values.rate);
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
  const load = await runNotificationLoad(system, {
    recipients,
    limitPerSecond: rate,
    firstPhone: 15559000000,
    timeoutMs: (recipients / rate) * 3000 + 30_000,
  });
  const router_metrics = counterDelta(routerBefore, await scrapeCounters(system.router.url, routerSeries));
  const date = new Date().toISOString();
  const result = {
    date,
    ...load,
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
  const c = load.counts;
  const line = `| ${date} | ${recipients} | ${rate} | ${load.sendsPerSecond.toFixed(1)} (${load.sends} in ${load.sendSeconds.toFixed(1)} s) | ${load.peakSendsInOneSecond} (130429: ${load.meta130429}) | ${load.completedSeconds.toFixed(1)} s | read ${c.read}, delivered ${c.delivered}, sent ${c.sent}, failed ${c.failed}, queued ${c.queued} | ${load.lost} | ${load.sentTwice} |`;
  console.log(line);
  writeBenchResult('notify', result, {
    header:
      '# pnpm bench:notify\n\n| date | recipients | limit/s | sent/s (first→last send) | peak in 1 s | all read after | final counts | lost | sent twice |\n|---|---|---|---|---|---|---|---|---|\n',
    row: line,
  });
  const clean = [load, ...(warmup ? [warmup] : [])].every((run) => run.lost === 0 && run.sentTwice === 0);
  process.exitCode = clean && load.sends === recipients ? 0 : 1;
} finally {
  await system.stop();
}
