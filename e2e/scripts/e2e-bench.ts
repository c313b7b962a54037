import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import { agentSlug } from '@wa-broker/shared/topics';
import { type BenchOperatorSocket, openBenchOperator } from '../src/bench-operator.js';
import { type RateResult, runRate } from '../src/e2e-bench-rate.js';
import { benchPhones, connectBenchUsers, InboundFrames } from '../src/e2e-bench-users.js';
import { groupLags } from '../src/hop-times.js';
import { counterDelta, scrapeCounters } from '../src/metrics-delta.js';
import { addOperator, signInOperator } from '../src/operators.js';
import { Phone } from '../src/phone.js';
import { cpuMeter, stackPids } from '../src/process-cpu.js';
import { startSystem } from '../src/system.js';
import { loadLimits } from '../src/system-env.js';

/**
 * `pnpm bench:e2e [--rates 100,500] [--duration 15] [--users 500] [--operators 2]`: the whole broker as real
 * processes (simulator → webhook → Kafka → router → agent backend → operators' WebSockets, and the replies back
 * through the router to the simulated phones) at each steady rate in turn. Reports per rate the latency user →
 * operator and operator → phone, the rates achieved, and what was lost, doubled or reordered; writes
 * BENCH_RESULT_FILE when set (under `pnpm bench`), else bench/results/e2e-<date>.json; exits 1 on any loss,
 * duplicate or reordering.
 */
const env = process.env;
const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: env.BENCH_E2E_RATES ?? '100,500' },
    duration: { type: 'string', default: env.BENCH_E2E_DURATION_S ?? '15' },
    users: { type: 'string', default: env.BENCH_E2E_USERS ?? '500' },
    operators: { type: 'string', default: env.BENCH_E2E_OPERATORS ?? '2' },
    'settle-timeout': { type: 'string', default: env.BENCH_E2E_SETTLE_TIMEOUT_S ?? '120' },
    // Meta's upgraded per-number throughput (1,000/s): the broker is measured, not Meta's 80/s default.
    'number-limit': { type: 'string', default: env.BENCH_E2E_NUMBER_LIMIT ?? '1000' },
  },
});
const rates = String(values.rates)
  .split(',')
  .map((rate) => Number(rate.trim()));
const durationS = Number(values.duration);
const userCount = Number(values.users);
const operatorCount = Number(values.operators);
const settleTimeoutMs = Number(values['settle-timeout']) * 1000;
const numberLimit = Number(values['number-limit']);
for (const [name, value] of Object.entries({
  durationS,
  userCount,
  operatorCount,
  numberLimit,
  settleTimeoutMs,
}))
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not ${value}`);
if (rates.some((rate) => !(rate > 0))) throw new Error(`--rates: positive numbers, not ${values.rates}`);

const settings = {
  rates,
  duration_s: durationS,
  users: userCount,
  operators: operatorCount,
  replies: 'one per user message, sent by the answering operator as the message arrives',
  limits: {
    RATE_LIMIT_PER_NUMBER: numberLimit,
    SIM_THROUGHPUT_PER_SECOND: numberLimit,
    note: `one business number; the router's and the simulator's per-number limit raised from Meta's default 80/s to ${numberLimit}/s (Meta's upgraded tier), and the per-user pair limit to ${loadLimits.router.RATE_LIMIT_PAIR_PER_SECOND}/s (burst ${loadLimits.router.RATE_LIMIT_PAIR_BURST}), so the figures measure the broker, not Meta's throttle`,
  },
  services: 'webhook, router, agent-backend (one instance), admin, wa-simulator; no notify, bot or media',
  log_level: 'warn',
  clocks:
    'user → operator: the simulator’s accepting of the user’s message (its entry’s time) to the operator’s socket receiving it; operator → phone: the operator’s socket sending send_reply to the simulator accepting the Graph send (the phone’s entry’s time); one machine, one clock',
};

const loadAverage = () => loadavg().map((load) => Math.round(load * 100) / 100);
const machine = {
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  kernel: release(),
  load_average_at_start: loadAverage(),
};

console.log(
  `bench:e2e starting the system (${JSON.stringify({ rates, durationS, userCount, operatorCount })})`,
);
const system = await startSystem({
  routerEnv: { ...loadLimits.router, RATE_LIMIT_PER_NUMBER: String(numberLimit) },
  simulatorEnv: { ...loadLimits.simulator, SIM_THROUGHPUT_PER_SECOND: String(numberLimit) },
});
const sockets: BenchOperatorSocket[] = [];
/** A rate's figures, with each process's CPU (percent of one core) and the load average at its end. */
type RateRow = RateResult & {
  cpu_percent: Record<string, number>;
  load_average: number[];
  /** What the router's own metrics counted during the rate: sends by outcome, limiter waits, batch phases. */
  router_metrics: Record<string, number>;
};
const routerSeries = ['router_sends_total', 'router_rate_limiter_wait_seconds', 'router_batch_phase_seconds'];
const results: RateRow[] = [];
let failed = true;
try {
  const agentUrl = system.agent.url;
  const frames = new InboundFrames();
  const sessions = [
    await signInOperator(agentUrl, system.operatorAdmin.email, system.operatorAdmin.password),
    ...(await Promise.all(
      Array.from({ length: operatorCount - 1 }, (_, index) =>
        addOperator(agentUrl, system.operatorAdmin, {
          name: `Bench Operator ${index + 2}`,
          email: `bench-${index + 2}-${system.runId}@e2e.example.com`,
          password: `bench-operator-${system.runId}-password`,
        }),
      ),
    )),
  ];
  for (const [index, session] of sessions.entries())
    sockets.push(
      await openBenchOperator(agentUrl, session.cookie, (frame, at) => frames.handle(index, frame, at)),
    );
  const phone = new Phone(system.simulator.url);
  const connectStarted = Date.now();
  const users = await connectBenchUsers(phone, frames, benchPhones(userCount), operatorCount);
  console.log(
    `${users.length} users connected to the agent in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s`,
  );
  // Operators answer conversations the inbox has stored (a reply to one it has not is refused): wait for them.
  const storeStarted = Date.now();
  await waitForStoredConversations(sockets[0] as BenchOperatorSocket, users.length, settleTimeoutMs);
  console.log(`the inbox stored them ${((Date.now() - storeStarted) / 1000).toFixed(1)} s later`);
  const brokers = system.kafkaBrokers;
  const agentGroups = `${agentSlug(system.agentName)}:`;
  const { in: agentIn, out: agentOut, error: agentError } = system.agentTopics;
  // The agent backend's store and push groups (the agent's `<slug>:backend-…`), the router's inbound and outbound.
  const lags = async () => ({
    ...(await groupLags(
      brokers,
      `${agentGroups}backend-`,
      [agentIn, agentError, agentOut],
      'agent-backend ',
    )),
    ...(await groupLags(brokers, `${system.prefix}-router-in`, [`${system.prefix}-webhook`], 'router in')),
    ...(await groupLags(brokers, `${system.prefix}-router-out`, [agentOut], 'router out')),
  });
  const pids: Record<string, number> = { bench: process.pid, ...stackPids() };
  for (const service of [system.webhook, system.router, system.agent, system.simulator, system.admin])
    if (service.process.pid) pids[service.name] = service.process.pid;
  for (const [phase, rate] of rates.entries()) {
    const meter = cpuMeter(pids);
    meter.start();
    const routerBefore = await scrapeCounters(system.router.url, routerSeries);
    console.log(`rate ${rate}/s for ${durationS} s…`);
    const result = await runRate({
      phase,
      ratePerSecond: rate,
      durationS,
      users,
      operators: sockets,
      frames,
      phone,
      simulatorUrl: system.simulator.url,
      settleTimeoutMs,
      lags,
      hops: {
        brokers: system.kafkaBrokers,
        webhook: `${system.prefix}-webhook`,
        agentIn: system.agentTopics.in,
        agentOut: system.agentTopics.out,
      },
    });
    const cpu_percent = meter.stop();
    const routerAfter = await scrapeCounters(system.router.url, routerSeries);
    const router_metrics = counterDelta(routerBefore, routerAfter);
    const row: RateRow = { ...result, cpu_percent, load_average: loadAverage(), router_metrics };
    results.push(row);
    const { load_average, hops, lag_at_load_end, detail } = row;
    console.log(line(row));
    console.log(JSON.stringify({ cpu_percent, load_average, hops, lag_at_load_end, router_metrics, detail }));
  }
  failed = false;
} finally {
  await Promise.all(sockets.map((socket) => socket.close()));
  if (failed) console.error(system.logs());
  await system.stop();
}

/** Pages through the inbox until it lists `count` conversations (the store group has written them). */
async function waitForStoredConversations(socket: BenchOperatorSocket, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let stored = 0;
    let before: string | null | undefined;
    do {
      const answer = await socket.request({
        type: 'list_conversations',
        limit: 200,
        ...(before ? { before } : {}),
      });
      if (answer.type !== 'conversations') throw new Error(`list_conversations: ${JSON.stringify(answer)}`);
      stored += answer.conversations.length;
      before = answer.next_before;
    } while (before);
    if (stored >= count) return;
    if (Date.now() > deadline) throw new Error(`the inbox stored ${stored} of ${count} conversations`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const date = new Date().toISOString();
const output = { date, rates: results, settings, machine };
function ms(value: number | null): string {
  return value === null ? '–' : `${value}`;
}
function line(r: RateRow): string {
  const u = r.user_to_operator;
  const o = r.operator_to_phone;
  return `| ${r.target_per_second} | ${r.achieved_per_second} | ${r.to_operator_per_second} | ${r.replies_per_second} | ${ms(u.p50_ms)} / ${ms(u.p99_ms)} | ${ms(o.p50_ms)} / ${ms(o.p99_ms)} | ${r.lost} | ${r.sent_twice} | ${r.out_of_order} |`;
}
console.log(
  '\n| target/s | sent/s | to operator/s | replies/s | user → operator p50 / p99 ms | operator → phone p50 / p99 ms | lost | twice | out of order |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const result of results) console.log(line(result));
console.log(JSON.stringify(output, null, 2));
const text = `${JSON.stringify(output, null, 2)}\n`;
// Under `pnpm bench` the result goes to the file the orchestrator names (its summary keeps every result);
// alone, to a dated file.
if (env.BENCH_RESULT_FILE) {
  mkdirSync(dirname(env.BENCH_RESULT_FILE), { recursive: true });
  writeFileSync(env.BENCH_RESULT_FILE, text);
} else {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `e2e-${date.replace(/[:.]/g, '-')}.json`), text);
}
const broken = results.some((r) => r.lost > 0 || r.sent_twice > 0 || r.out_of_order > 0);
process.exitCode = broken || results.length < rates.length ? 1 : 0;
