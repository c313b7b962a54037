import { eventually } from '@wa-broker/infra/poll';
import type { EchoAgent } from './echo-agent.js';
import { type ChatEntry, isE2eAgent, type Phone } from './phone.js';
import { type SentMessage, type Tally, tally } from './tally.js';

/** The user says hello, gets the menu and picks the e2e agent; resolves once the agent has the hello. */
export async function connectUser(phone: Phone, agent: EchoAgent, waId: string): Promise<void> {
  const hello = await phone.say(waId, 'hello');
  await phone.choose(waId, isE2eAgent, 60_000);
  await waitUntil(
    () => agent.inbound.some((event) => event.wamid === hello.wamid),
    `${waId}: the agent never got the hello`,
    60_000,
  );
}

export interface LoadPlan {
  users: readonly string[];
  ratePerSecond: number;
  /** The longest it runs; `stop` can end it sooner (a fault loop that ends when its last fault is done). */
  durationMs: number;
  stop?: AbortSignal;
}

/** Sends `load <waId> <n>` round-robin over the users at a steady rate; resolves with every sent message. */
export async function runLoad(phone: Phone, plan: LoadPlan): Promise<SentMessage[]> {
  const total = Math.round((plan.ratePerSecond * plan.durationMs) / 1000);
  const started = Date.now();
  const pending: Promise<SentMessage>[] = [];
  const counters = new Map<string, number>();
  for (let sequence = 0; sequence < total; sequence += 1) {
    const due = started + (sequence * 1000) / plan.ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (plan.stop?.aborted) break;
    const waId = plan.users[sequence % plan.users.length] as string;
    const index = counters.get(waId) ?? 0;
    counters.set(waId, index + 1);
    // Each user's messages go out one after the other, as a person types; users interleave.
    const previous = pending[sequence - plan.users.length];
    pending.push(
      (async () => {
        await previous;
        const entry = await phone.say(waId, `load ${waId} ${index}`);
        return { waId, index, wamid: entry.wamid };
      })(),
    );
  }
  return Promise.all(pending);
}

export interface SettleOptions {
  /** The longest wait for `done` (default 90 s). */
  timeoutMs?: number;
  /** When the flow is over; default: every message reached the agent, every reply its user, statuses back. */
  done?: (tally: Tally) => boolean;
}

// A reply reported to its agent as "delivery unknown" never comes (src/unknown-deliveries.ts): waiting for it would
// only run out the clock, so it counts as settled here and the test decides whether it was allowed.
export const isComplete = (now: Tally) =>
  now.lostToAgent === 0 && now.lostReplies <= now.agentErrors && now.statusesMissing === 0;

/**
 * Waits until every message reached the agent, every reply reached its user and every reply's status came
 * back (or the deadline passes), then lets late duplicates arrive before the final count.
 */
export async function settle(
  phone: Phone,
  agent: EchoAgent,
  sent: readonly SentMessage[],
  options: SettleOptions & { quietMs?: number; errorsBefore?: number } = {},
): Promise<Tally> {
  const errorsBefore = options.errorsBefore ?? 0;
  const count = async () => {
    const users = [...new Set(sent.map((message) => message.waId))];
    const chats = new Map<string, ChatEntry[]>(
      await Promise.all(users.map(async (waId) => [waId, await phone.chat(waId)] as const)),
    );
    return tally(sent, agent.inbound, chats, agent.errors.length - errorsBefore);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const now = await count();
    const complete = (options.done ?? isComplete)(now);
    if (complete || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await new Promise((resolve) => setTimeout(resolve, options.quietMs ?? 2000));
  return count();
}

export async function waitUntil(probe: () => boolean, failure: string, timeoutMs: number): Promise<void> {
  await eventually(probe, { what: failure, timeoutMs, intervalMs: 100 });
}

/** Distinct test users for one scenario: `1555<scenario><nnn>`. */
export function users(scenario: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `1555${scenario}${String(index).padStart(6, '0')}`);
}
