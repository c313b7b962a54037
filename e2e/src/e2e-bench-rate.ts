import {
  type BenchOperatorSocket,
  type BenchUser,
  type InboundFrames,
  type ReplyAnswer,
  readNewEntries,
  replyAnswerOf,
  replyText,
} from './e2e-bench-users.js';
import { recordTimes } from './hop-times.js';
import { type Hops, type Latency, latencyOf } from './latency.js';
import type { Phone } from './phone.js';

/** One user message of a rate's run and what became of it, both ways. */
interface Trip {
  user: BenchUser;
  index: number;
  text: string;
  /** When the load generator meant to send it, and when the simulator accepted it (its entry's `at`). */
  dueAt: number;
  acceptedAt?: number;
  sendError?: string;
  /** On the answering operator's socket: first arrival, and how many times it came. */
  receivedAt?: number;
  received: number;
  replySentAt?: number;
  replyAnswer?: ReplyAnswer;
  /** When the socket got the answer (`reply_accepted` once the agent backend's producer had the record). */
  replyAnsweredAt?: number;
  /** The reply on the phone: the simulator's record of the Graph send, and how many times it came. */
  phoneAt?: number;
  onPhone: number;
}

export interface RateResult {
  target_per_second: number;
  duration_s: number;
  users: number;
  messages: number;
  /** User messages the simulator accepted per second, first to last. */
  achieved_per_second: number;
  /** Messages reaching the operators per second (first accepted to last received): the broker keeping up. */
  to_operator_per_second: number;
  /** Replies reaching the phones per second (first reply sent to last on a phone). */
  replies_per_second: number;
  user_to_operator: Latency;
  operator_to_phone: Latency;
  /** How late the generator sent behind its schedule (its own slowness, or the simulator's), p99. */
  generator_behind_p99_ms: number | null;
  lost: number;
  sent_twice: number;
  out_of_order: number;
  /** Where the time goes, hop by hop (absent when not asked for). */
  hops?: Hops;
  /** Records each consumer group had not committed yet when the load ended. */
  lag_at_load_end?: Record<string, number>;
  detail: {
    send_errors: number;
    lost_to_operator: number;
    replies_refused: number;
    lost_replies: number;
    duplicated_to_operator: number;
    duplicated_on_phone: number;
    out_of_order_to_operator: number;
    out_of_order_on_phone: number;
    settle_s: number;
    first_problems: string[];
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const perSecond = (count: number, from: number, to: number) =>
  to > from ? Math.round((count / ((to - from) / 1000)) * 10) / 10 : 0;

export interface RatePlan {
  phase: number;
  ratePerSecond: number;
  durationS: number;
  users: readonly BenchUser[];
  operators: readonly BenchOperatorSocket[];
  frames: InboundFrames;
  phone: Phone;
  simulatorUrl: string;
  /** The longest wait, after the last message, for everything to arrive. */
  settleTimeoutMs: number;
  /** Where to read the records' times for the hops (the run's webhook, agent `-in` and `-out` topics). */
  hops?: { brokers: string[]; webhook: string; agentIn: string; agentOut: string };
  /** Each consumer group's records behind (hop-times.ts groupLags), taken when the last message was sent. */
  lags?: () => Promise<Record<string, number>>;
}

async function hopsOf(plan: RatePlan, trips: readonly Trip[]): Promise<Hops | undefined> {
  if (!plan.hops) return undefined;
  const { brokers, webhook, agentIn, agentOut } = plan.hops;
  const times = await recordTimes(
    brokers,
    [webhook, agentIn, agentOut],
    new RegExp(`[br] ${plan.phase} \\d+ \\d+`),
  );
  const hop = (
    pick: (trip: Trip, at: (kind: 'b' | 'r', topic: string) => number | undefined) => number | undefined,
  ) =>
    latencyOf(
      trips.flatMap((trip) => {
        const at = (kind: 'b' | 'r', topic: string) =>
          times.get(`${kind} ${plan.phase} ${trip.user.phone} ${trip.index}`)?.get(topic);
        const value = pick(trip, at);
        return value === undefined || Number.isNaN(value) ? [] : [value];
      }),
    );
  const minus = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a - b;
  return {
    simulator_to_webhook_record: hop((t, at) => minus(at('b', webhook), t.acceptedAt)),
    webhook_record_to_agent_record: hop((_t, at) => minus(at('b', agentIn), at('b', webhook))),
    agent_record_to_operator: hop((t, at) => minus(t.receivedAt, at('b', agentIn))),
    operator_to_reply_record: hop((t, at) => minus(at('r', agentOut), t.replySentAt)),
    operator_to_reply_accepted: hop((t) =>
      t.replyAnswer?.ok ? minus(t.replyAnsweredAt, t.replySentAt) : undefined,
    ),
    reply_record_to_phone: hop((t, at) => minus(t.phoneAt, at('r', agentOut))),
    reply_accepted_to_phone: hop((t) =>
      t.replyAnswer?.ok ? minus(t.phoneAt, t.replyAnsweredAt) : undefined,
    ),
  };
}

/**
 * Users send `b <phase> <phone> <n>` round-robin at a steady rate (each user's in order); the answering operator
 * replies `r <phase> <phone> <n>` as each arrives (after that user's previous reply was accepted, as the inbox
 * does); then waits until every message and reply arrived or the deadline passed, and counts.
 */
export async function runRate(plan: RatePlan): Promise<RateResult> {
  const trips = new Map<string, Trip>();
  const queues = new Map<BenchUser, { busy: boolean; waiting: Trip[] }>();
  const lastIndex = new Map<BenchUser, number>();
  let outOfOrderToOperator = 0;
  let duplicatedToOperator = 0;
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < 10) problems.push(problem);
  };

  const sendReply = (trip: Trip) => {
    const queue = queues.get(trip.user) ?? { busy: false, waiting: [] };
    queues.set(trip.user, queue);
    if (queue.busy) return void queue.waiting.push(trip);
    queue.busy = true;
    const socket = plan.operators[trip.user.operator] as BenchOperatorSocket;
    const frame = {
      type: 'send_reply',
      wa_id: trip.user.key,
      idempotency_key: `bench-${plan.phase}-${trip.user.phone}-${trip.index}`,
      reply: { kind: 'text', text: `r ${plan.phase} ${trip.user.phone} ${trip.index}` },
    };
    trip.replySentAt = socket.send(frame, (answer) => {
      trip.replyAnsweredAt = Date.now();
      trip.replyAnswer = replyAnswerOf(answer);
      if (!trip.replyAnswer.ok) note(`reply ${trip.text}: ${trip.replyAnswer.why}`);
      queue.busy = false;
      const next = queue.waiting.shift();
      if (next) sendReply(next);
    });
  };

  plan.frames.onBenchMessage = (operator, text, _key, receivedAt) => {
    const trip = trips.get(text);
    if (!trip || operator !== trip.user.operator) return;
    trip.received += 1;
    if (trip.received > 1) {
      duplicatedToOperator += 1;
      return note(`${text} reached the operator ${trip.received} times`);
    }
    trip.receivedAt = receivedAt;
    const before = lastIndex.get(trip.user) ?? -1;
    if (trip.index < before) outOfOrderToOperator += 1;
    else lastIndex.set(trip.user, trip.index);
    sendReply(trip);
  };

  // The load: message k goes to user k mod N at start + k/rate.
  const total = Math.round(plan.ratePerSecond * plan.durationS);
  const counters = new Map<BenchUser, number>();
  const posts: Promise<void>[] = [];
  const start = Date.now() + 50;
  for (let k = 0; k < total; k += 1) {
    const dueAt = start + (k * 1000) / plan.ratePerSecond;
    const wait = dueAt - Date.now();
    if (wait >= 1) await sleep(wait);
    const user = plan.users[k % plan.users.length] as BenchUser;
    const index = counters.get(user) ?? 0;
    counters.set(user, index + 1);
    const text = `b ${plan.phase} ${user.phone} ${index}`;
    const trip: Trip = { user, index, text, dueAt, received: 0, onPhone: 0 };
    trips.set(text, trip);
    user.sending = user.sending.then(async () => {
      try {
        const entry = (await plan.phone.say(user.phone, text)) as { at?: string };
        trip.acceptedAt = entry.at ? Date.parse(entry.at) : Date.now();
      } catch (error) {
        trip.sendError = String(error);
        note(`send ${text}: ${trip.sendError}`);
      }
    });
    posts.push(user.sending);
  }
  await Promise.all(posts);
  const loadEnded = Date.now();
  const lagsAtEnd = await plan.lags?.().catch((error: unknown) => {
    note(`lags not measured: ${String(error)}`);
    return undefined;
  });

  // Settle: every message at its operator and answered, then every reply on its phone.
  const all = [...trips.values()];
  const deadline = Date.now() + plan.settleTimeoutMs;
  const waitingForOperator = () =>
    all.some((trip) => !trip.sendError && (trip.received === 0 || trip.replyAnswer === undefined));
  while (waitingForOperator() && Date.now() < deadline) await sleep(200);
  const byReply = new Map(all.map((trip) => [`r ${plan.phase} ${trip.user.phone} ${trip.index}`, trip]));
  const phoneOrder = new Map<BenchUser, number>();
  let outOfOrderOnPhone = 0;
  const readPhones = async () => {
    for (const entries of (await readNewEntries(plan.simulatorUrl, plan.users)).values())
      for (const entry of entries) {
        if (entry.direction !== 'out') continue;
        const trip = byReply.get(replyText(entry));
        if (!trip) continue;
        trip.onPhone += 1;
        if (trip.onPhone > 1) {
          note(`${replyText(entry)} reached the phone ${trip.onPhone} times`);
          continue;
        }
        trip.phoneAt = Date.parse(entry.at);
        const before = phoneOrder.get(trip.user) ?? -1;
        if (trip.index < before) outOfOrderOnPhone += 1;
        else phoneOrder.set(trip.user, trip.index);
      }
  };
  const repliesMissing = () => all.some((trip) => trip.replyAnswer?.ok && trip.onPhone === 0);
  do {
    await readPhones();
    if (!repliesMissing()) break;
    await sleep(500);
  } while (Date.now() < deadline);
  const settled = Date.now();
  // Late copies of anything would show up now.
  await sleep(2000);
  await readPhones();

  const accepted = all.flatMap((trip) => (trip.acceptedAt === undefined ? [] : [trip.acceptedAt]));
  const received = all.flatMap((trip) => (trip.receivedAt === undefined ? [] : [trip.receivedAt]));
  const onPhone = all.flatMap((trip) => (trip.phoneAt === undefined ? [] : [trip.phoneAt]));
  const replySent = all.flatMap((trip) => (trip.replySentAt === undefined ? [] : [trip.replySentAt]));
  const firstAccepted = Math.min(...accepted);
  const hops = await hopsOf(plan, all).catch((error: unknown) => {
    note(`hops not measured: ${String(error)}`);
    return undefined;
  });
  const detail = {
    send_errors: all.filter((trip) => trip.sendError).length,
    lost_to_operator: all.filter((trip) => !trip.sendError && trip.received === 0).length,
    replies_refused: all.filter((trip) => trip.replyAnswer && !trip.replyAnswer.ok).length,
    lost_replies: all.filter((trip) => trip.received > 0 && trip.onPhone === 0).length,
    duplicated_to_operator: duplicatedToOperator,
    duplicated_on_phone: all.reduce((sum, trip) => sum + Math.max(0, trip.onPhone - 1), 0),
    out_of_order_to_operator: outOfOrderToOperator,
    out_of_order_on_phone: outOfOrderOnPhone,
    settle_s: Math.round((settled - loadEnded) / 100) / 10,
    first_problems: problems,
  };
  return {
    target_per_second: plan.ratePerSecond,
    duration_s: plan.durationS,
    users: plan.users.length,
    messages: all.length,
    achieved_per_second: perSecond(accepted.length - 1, firstAccepted, Math.max(...accepted)),
    to_operator_per_second: perSecond(received.length, firstAccepted, Math.max(...received)),
    replies_per_second: perSecond(onPhone.length, Math.min(...replySent), Math.max(...onPhone)),
    user_to_operator: latencyOf(
      all.flatMap((t) => (t.receivedAt && t.acceptedAt ? [t.receivedAt - t.acceptedAt] : [])),
    ),
    operator_to_phone: latencyOf(
      all.flatMap((t) => (t.phoneAt && t.replySentAt ? [t.phoneAt - t.replySentAt] : [])),
    ),
    generator_behind_p99_ms: latencyOf(
      all.flatMap((t) => (t.acceptedAt === undefined ? [] : [Math.max(0, t.acceptedAt - t.dueAt)])),
    ).p99_ms,
    // Every message must reach its operator and its reply the phone (a send the simulator refused counts too).
    lost: detail.send_errors + detail.lost_to_operator + detail.lost_replies,
    sent_twice: detail.duplicated_to_operator + detail.duplicated_on_phone,
    out_of_order: outOfOrderToOperator + outOfOrderOnPhone,
    ...(hops ? { hops } : {}),
    ...(lagsAtEnd ? { lag_at_load_end: lagsAtEnd } : {}),
    detail,
  };
}
