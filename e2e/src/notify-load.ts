import { maxInAnyWindow, perSecond, tightestSpanMs } from '@wa-broker/shared/meta-throughput';
import type { System } from './system.js';

export type StatusCounts = Record<
  'queued' | 'cancelled' | 'sent' | 'delivered' | 'read' | 'failed' | 'total',
  number
>;

/** What one large notification did, counted in notify and at the simulator (Meta's side, where its limits count). */
export interface NotificationLoad {
  recipients: number;
  limitPerSecond: number;
  /** Template sends the simulator accepted, first to last, by the time it received each (as Meta counts them). */
  sends: number;
  sendSeconds: number;
  sendsPerSecond: number;
  /** sendsPerSecond / limitPerSecond. */
  ratio: number;
  /** The most sends in any one-second window (the limit is per second). */
  peakSendsInOneSecond: number;
  /** Sends in each second from the first: where a rate under the limit lost its time. */
  sendsInEachSecond: number[];
  /** The shortest time between a send and the limit-th after it (the simulator refuses under 1000 ms). */
  tightestSpanOfLimitMs: number | null;
  /** Sends the simulator refused over the number's throughput (130429) or a pair's (131056) during the load. */
  meta130429: number;
  meta131056: number;
  /** POST to every recipient read (or failed), as notify reports it. */
  completedSeconds: number;
  counts: StatusCounts;
  /** Recipients with no final status (never sent, or statuses missing). */
  lost: number;
  /** Recipients the simulator shows more than one template for. */
  sentTwice: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function notifyCall<T>(system: System, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${system.notify?.url}/api/v1/notifications${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${system.notifyKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Sends one template to `recipients` simulated users through notify → router → simulator (the system must run
 * with `notify`) and waits until every recipient is read or failed, or `timeoutMs` passes. The sends are timed by
 * the simulator itself: no meter between the router and the Graph API to add its own hop to every send.
 */
export async function runNotificationLoad(
  system: System,
  options: { recipients: number; limitPerSecond: number; firstPhone: number; timeoutMs: number },
): Promise<NotificationLoad> {
  const to = Array.from({ length: options.recipients }, (_, i) => String(options.firstPhone + i));
  const refusedBefore = await refusedBySimulator(system);
  const started = Date.now();
  const created = await notifyCall<{ id: string }>(system, '', {
    template: { name: 'order_shipped', language: 'en_US' },
    recipients: to.map((wa, i) => ({
      to: `+${wa}`,
      parameters: { body: [`Customer ${i}`, `#${50000 + i}`] },
    })),
  });
  let counts: StatusCounts;
  for (;;) {
    ({ counts } = await notifyCall<{ counts: StatusCounts }>(system, `/${created.id}`));
    if (counts.read + counts.failed >= options.recipients) break;
    if (Date.now() - started > options.timeoutMs) break;
    await sleep(500);
  }
  const completedSeconds = (Date.now() - started) / 1000;
  const received = await templatesReceived(system, to);
  const sends = received.flat().sort((a, b) => a - b);
  const sendSeconds = sends.length > 1 ? ((sends.at(-1) ?? 0) - (sends[0] ?? 0)) / 1000 : 0;
  const sendsPerSecond = sendSeconds > 0 ? (sends.length - 1) / sendSeconds : 0;
  const refused = await refusedBySimulator(system);
  return {
    recipients: options.recipients,
    limitPerSecond: options.limitPerSecond,
    sends: sends.length,
    sendSeconds,
    sendsPerSecond,
    ratio: sendsPerSecond / options.limitPerSecond,
    peakSendsInOneSecond: maxInAnyWindow(sends),
    sendsInEachSecond: perSecond(sends),
    tightestSpanOfLimitMs: tightestSpanMs(sends, options.limitPerSecond) ?? null,
    meta130429: refused['130429'] - refusedBefore['130429'],
    meta131056: refused['131056'] - refusedBefore['131056'],
    completedSeconds,
    counts,
    lost: options.recipients - (counts.read + counts.delivered + counts.sent + counts.failed),
    sentTwice: received.filter((times) => times.length > 1).length,
  };
}

/** The sends the simulator's limits refused so far, by code (`GET /sim/stats`). */
async function refusedBySimulator(system: System): Promise<Record<'130429' | '131056', number>> {
  const response = await fetch(`${system.simulator.url}/sim/stats`);
  const { refused } = (await response.json()) as { refused: Record<'130429' | '131056', number> };
  return refused;
}

/** Asks the simulator, ten users at a time, when it received each template it holds for them (ms). */
async function templatesReceived(system: System, to: string[]): Promise<number[][]> {
  const received: number[][] = [];
  for (let i = 0; i < to.length; i += 10) {
    const batch = await Promise.all(
      to.slice(i, i + 10).map(async (wa) => {
        const response = await fetch(`${system.simulator.url}/sim/users/${wa}/messages`);
        const { messages } = (await response.json()) as {
          messages: { direction: string; type: string; at: string }[];
        };
        return messages
          .filter((m) => m.direction === 'out' && m.type === 'template')
          .map((m) => Date.parse(m.at));
      }),
    );
    received.push(...batch);
  }
  return received;
}
