import type { Tally } from './tally.js';

export interface TestOutcome {
  file: string;
  title: string;
  status: string;
  seconds: number;
}

export interface SuiteRun {
  name: string;
  command: string;
  passed: number;
  failed: number;
  seconds: number;
  tests: TestOutcome[];
}

export interface ReliabilityReport {
  generatedAt: string;
  command: string;
  machine: { cpus: number; node: string };
  suites: SuiteRun[];
  figures: Record<string, Record<string, unknown>>;
}

type Figures = Record<string, unknown> & { tally?: Tally; loadSeconds?: number; settleSeconds?: number };

const faults: [string, string | ((f: Figures) => string)][] = [
  ['kafka-cluster-broker-kill', 'kill -9 one Kafka broker of 3 (RF 3, min ISR 2), restart it'],
  ['kafka-single-broker-kill', 'kill -9 the only Kafka broker, restart it'],
  ['router-kill', 'kill -9 one of two routers mid-stream (not restarted until the count)'],
  [
    'router-kill-loop',
    (f) =>
      `kill -9 one of two routers at ${cell(f.kills)} random instants (0.3–2.5 s after both are ready), relaunch it each time`,
  ],
  ['redis-restart', 'restart Redis (private, AOF) under load'],
  ['agent-backend-kill', 'kill -9 the agent backend and stop the agent, then start both'],
  ['scale-out', 'no fault: 2 webhooks + 2 routers, one shared send-rate limit'],
];

const cell = (value: unknown) => (value === undefined ? '–' : String(value));
const json = (value: unknown) => `\`${JSON.stringify(value)}\``;

function faultTable(figures: Record<string, Figures>): string[] {
  const lines = [
    '| scenario | fault | load | sent | reached agent | lost | duplicated to agent | replies received | sent twice | statuses back | agent errors | order breaks (agent / user) | drained after load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, describe] of faults) {
    const f = figures[key];
    const t = f?.tally;
    const fault = typeof describe === 'string' ? describe : describe(f ?? {});
    if (!f || !t) {
      lines.push(`| ${key} | ${fault} | not run | | | | | | | | | | |`);
      continue;
    }
    const load = `${cell(f.ratePerSecond)} msg/s × ${Math.round(Number(f.loadSeconds ?? 0))} s, ${cell(f.users)} users`;
    lines.push(
      `| ${key} | ${fault} | ${load} | ${t.sent} | ${t.reachedAgent} | **${t.lostToAgent + t.lostReplies}** | **${t.duplicatedToAgent}** (re-read: ${cell(f.agentRedeliveries)}) | ${t.repliesReceived} | **${t.duplicateSends}** | ${t.statusesBack} | ${t.agentErrors} | ${t.orderViolationsAgent} / ${t.orderViolationsUser} | ${cell(f.settleSeconds)} s |`,
    );
  }
  return lines;
}

function details(figures: Record<string, Figures>): string[] {
  const skip = new Set([
    'scenario',
    'recordedAt',
    'tally',
    'ratePerSecond',
    'users',
    'loadSeconds',
    'settleSeconds',
  ]);
  return Object.entries(figures).flatMap(([name, f]) => [
    `- **${name}**: ${Object.entries(f)
      .filter(([key]) => !skip.has(key))
      .map(([key, value]) => `${key} ${typeof value === 'object' ? json(value) : value}`)
      .join('; ')}`,
  ]);
}

function totals(report: ReliabilityReport) {
  const tallies = Object.values(report.figures as Record<string, Figures>).flatMap((f) =>
    f.tally ? [f.tally] : [],
  );
  const sum = (pick: (t: Tally) => number) => tallies.reduce((s, t) => s + pick(t), 0);
  return {
    messages: sum((t) => t.sent),
    lost: sum((t) => t.lostToAgent + t.lostReplies),
    duplicated: sum((t) => t.duplicatedToAgent + t.duplicateSends),
  };
}

/** docs/reliability.md from the collected run: every figure, no hand-written numbers. */
export function renderReliability(report: ReliabilityReport): string {
  const figures = report.figures as Record<string, Figures>;
  const fuzz = figures['fuzz-webhook'] ?? {};
  const security = figures.security ?? {};
  const scale = figures['scale-out'] ?? {};
  const all = totals(report);
  const passed = report.suites.reduce((s, suite) => s + suite.passed, 0);
  const failed = report.suites.reduce((s, suite) => s + suite.failed, 0);
  return [
    '# Reliability: proof under faults, load and bad input',
    '',
    `Generated ${report.generatedAt} by \`${report.command}\` (${report.machine.cpus} CPUs, Node ${report.machine.node}); the same figures are in [bench/results/reliability.json](../bench/results/reliability.json). Do not edit by hand: run the command again.`,
    '',
    `**${passed} tests passed, ${failed} failed. Across the fault scenarios ${all.messages} user messages were counted end to end (user → webhook → Kafka → router → agent → router → Graph API → user, statuses back to the agent): lost ${all.lost}, duplicated ${all.duplicated}. Fuzzing: ${cell(fuzz.inputsTried)} inputs, ${cell(fuzz.crashes)} crashes, ${cell(fuzz.hangs)} hangs, ${cell(fuzz.invalidPublished)} invalid records published.**`,
    '',
    '## Suites',
    '',
    '| suite | command | passed | failed | seconds |',
    '|---|---|---|---|---|',
    ...report.suites.map(
      (s) => `| ${s.name} | \`${s.command}\` | ${s.passed} | ${s.failed} | ${Math.round(s.seconds)} |`,
    ),
    '',
    '## Faults under steady load',
    '',
    "Each scenario runs its own broker (every service a real process from `services/<name>/src/main.ts`) on unique topics, Redis prefix, Mongo database and Postgres schema, with the WhatsApp simulator as Meta. Simulated users connect through the menu, then send `load <user> <n>` at a steady rate; an echo agent answers each one (idempotency key derived from the wamid) before committing its offset. The counts come from the agent's topics and from each simulated user's chat (`GET /sim/users/:id/messages`, one wamid per business message). Kafka faults use a private cluster or node on other ports; Redis faults a private `redis-server`; the shared stack is never stopped.",
    '',
    ...faultTable(figures),
    '',
    'Per-scenario figures:',
    '',
    ...details(Object.fromEntries(faults.flatMap(([key]) => (figures[key] ? [[key, figures[key]]] : [])))),
    '',
    '## Fuzzing the webhook',
    '',
    `${cell(fuzz.inputsTried)} bodies generated with fast-check from the shared Meta fixtures (structural mutations: wrong types, removed fields, 2–20 k-character strings, nesting up to 1,600 levels, unicode incl. lone surrogates and combining marks; byte damage: truncation, flipped bytes, random bytes, up to 20,000 nested brackets; bad signatures: missing, wrong secret, other bytes, malformed, sha1, empty; bodies over the limit), posted to the webhook's real app (\`createWebhookService\`, real idempotent Kafka producer) with \`app.inject\`, 256 at a time, in ${cell(fuzz.fuzzSeconds)} s. Then every record of its three topics was read back and checked against the shared \`WebhookEvent\` / \`BusinessEvent\` schemas.`,
    '',
    `- by kind: ${json(fuzz.byKind)}`,
    `- answers: ${json(fuzz.byStatus)} (only 2xx/4xx; every bad signature 401, every oversized body 413)`,
    `- accepted: ${cell(fuzz.accepted)}; published: ${json(fuzz.published)} (one raw record per 200, none for a 4xx)`,
    `- crashes ${cell(fuzz.crashes)}, hangs (> 10 s) ${cell(fuzz.hangs)}, slowest answer ${cell(fuzz.slowestMs)} ms, invalid records published ${cell(fuzz.invalidPublished)}, ${cell(fuzz.megabytesPosted)} MB posted`,
    '',
    "Property tests (`e2e/test/properties/router-rules.property.test.ts`, 300 runs each): menu paging shows every agent exactly once within Meta's limits and wraps to page 0; any page request is clamped; the 24 h window is open exactly while now < last inbound + 24 h − margin; only a newer message moves it in any delivery order; accepted statuses only move forward, `failed` ends only a message never delivered and nothing follows it; text and reply-button limits accept exactly what Meta accepts and refuse the rest with `invalid_message`. `e2e/test/properties/one-rule.test.ts` runs one table of valid and invalid messages through the router and the SDK (the same reason from both) and fails when a rule of Meta's or a cross-service Redis key is defined outside `packages/shared`.",
    '',
    '## Security checks',
    '',
    `- webhook, unsigned / wrong secret / signature over other bytes / empty / sha1: ${json(security.badSignatureAnswers)}; signed body over 6 MiB: ${cell(security.oversizedAnswer)}; records carrying the refused bodies' marker: ${cell(security.refusedBodiesPublished)}`,
    `- admin API flood with a wrong key (limit ${cell(security.adminLimit)}/min): ${cell(security.adminFloodRequests)} requests, ${cell(security.adminFlood429)} answered 429 (then a valid key is refused too)`,
    `- operator WebSocket without token / wrong token / right token: ${json(security.websocket)}`,
    `- secrets grep (Graph token, app secret, admin key) over ${cell(security.logLinesGrepped)} log lines of every process at debug level, ${cell(security.kafkaRecordsGrepped)} Kafka records of ${cell(security.topicsGrepped)} topics (incl. ${cell(security.errorEvents)} error events) and ${cell(security.httpAnswersGrepped)} HTTP answers (incl. /metrics): found ${json(security.secretsFound)}`,
    '',
    '## Scale-out',
    '',
    `Two webhook instances behind a round-robin balancer and two routers (one Redis token bucket per business number) with the limit at ${cell(scale.limitPerSecond)} sends/s and ${cell(scale.ratePerSecond)} user messages/s offered: ${cell(scale.graphSends)} Graph API sends, busiest second ${cell(scale.busiestSecond)}, average ${cell(scale.averagePerSecond)}/s, refused by the simulator ${cell(scale.refusedByMeta)}; webhook POSTs per instance ${json(scale.webhookPostsPerInstance)}, sends per router ${json(scale.sendsPerRouter)}.`,
    '',
    '## Notes',
    '',
    '- Order per user is asserted where the broker alone decides it (router kill, Redis restart). When Kafka is down or electing leaders, the webhook answers 503 for some deliveries and the simulator, like Meta, redelivers those later, after newer ones were accepted: the webhook topic then holds them in arrival order, which is not the users\' order. Meta does not promise ordered webhooks either; the "order breaks" column shows how many messages arrived after a later one.',
    '- "Duplicated to agent" counts copies of a user message in the agent\'s `-in` topic (what the broker delivered, read as agents read it: read_committed, so records of an aborted transaction are not copies). "Re-read" counts records the test\'s agent consumer read twice because its offset commit failed while a broker died: Kafka consumers are at-least-once, and the agent SDK and the agent backend drop such re-reads by wamid.',
    '- Found by these suites and fixed: (1) the router dropped the statuses of a message sent just before Redis went away (the wamid mapping write failed, and the replay called the message "delivery unknown"): the writes after Meta accepted a send now wait out a Redis restart; (2) the webhook published events that broke its own contract for malformed items (non-string ids, statuses without `status`): they now go to the business topic as `invalid_item`; (3) the router\'s producer was not idempotent, so a produce retried while a broker died could write a message twice to an agent\'s `-in` (a hardening: an early cluster run counted one duplicate at the agent before the count told topic copies from consumer re-reads, and later runs show such a re-read with 0 copies in the topic, so that duplicate was most likely a re-read too): it is now idempotent with acks=all.',
    '- Router kill: the survivor takes the dead router\'s partitions when the consumer group notices it, after the router\'s Kafka session timeout (`KAFKA_SESSION_TIMEOUT_MS`, 4 s in the scenarios that kill routers, 30 s by default): most of the "drained after load" time of that row. Claims the dead router left `pending` are taken over through its presence key (10 s).',
    `- Router kill loop: ${cell(figures['router-kill-loop']?.kills)} kills (seed ${cell(figures['router-kill-loop']?.seed)}; \`KILL_LOOP_SEED\` repeats its delays and victims). Each round waits 0.3–2.5 s once both routers are ready, kills one of them (picked at random) with -9 and relaunches it; the relaunched router is ready once its groups have dropped the dead member (one session timeout), so every kill lands while both routers route and send. The counts cover every message of the loop after it settled, so one copy, loss or unknown send after any kill shows.`,
    '- The fuzz inputs are seeded (`fc.sample` with fixed seeds), so every run posts the same 100,000 bodies: a failure reproduces.',
    `- Exactly once (issue 14): the router routes in Kafka transactions with the consumed offsets, writes each batch's Redis state with a checkpoint of its records before the commit, and names every send in \`biz_opaque_callback_data\`; a send whose router died after Meta accepted it is settled from its first status (statuses routed, no error). One window stays ambiguous by nature: a kill after a send's "sending" mark and before Meta read the request. No status can name such a send and Meta has no idempotency key, so it is not re-sent and its agent gets \`send_failed\` "delivery unknown" (after \`SEND_UNKNOWN_AFTER_SECONDS\`). The kill scenarios assert that exactly the replies the users never got were reported so, nothing else: ${cell(figures['router-kill-loop']?.deliveryUnknown)} in the kill loop, ${cell(figures['router-kill']?.deliveryUnknown)} in the single router kill.`,
    '',
    '## Tests',
    '',
    ...report.suites.flatMap((suite) =>
      suite.tests.map(
        (test) =>
          `- ${test.status === 'passed' ? '✅' : '❌'} ${test.file}: ${test.title} (${test.seconds} s)`,
      ),
    ),
    '',
  ].join('\n');
}
