import { eventually } from '@wa-broker/infra/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phone } from '../src/phone.js';
import { type System, startSystem } from '../src/system.js';

let system: System;
let phone: Phone;
let api: string;
const rate = 10;

beforeAll(async () => {
  // A low per-number limit makes the drain long enough to cancel in the middle of it.
  system = await startSystem({
    notify: true,
    agentBackend: false,
    routerEnv: { RATE_LIMIT_PER_NUMBER: String(rate) },
  });
  phone = new Phone(system.simulator.url);
  api = `${system.notify?.url}/api/v1/notifications`;
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

type Notification = {
  id: string;
  state: string;
  counts: Record<'queued' | 'cancelled' | 'sent' | 'delivered' | 'read' | 'failed' | 'total', number>;
  recipients: {
    id: string;
    to: string;
    status: string;
    attempt: number;
    wamid: string | null;
    error: { code: number; title: string } | null;
  }[];
};

async function call(path: string, body?: unknown): Promise<Notification & { resent?: number }> {
  const response = await fetch(`${api}${path}`, {
    method:
      body === undefined && path
        ? path.endsWith('resend') || path.endsWith('cancel')
          ? 'POST'
          : 'GET'
        : 'POST',
    headers: {
      authorization: `Bearer ${system.notifyKey}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Notification;
}

/** The notification once `done` holds for it; on timeout its last counts and the system's logs. */
async function until(id: string, done: (n: Notification) => boolean, what: string, timeoutMs = 25_000) {
  let last: Notification | undefined;
  return eventually(
    async () => {
      last = await call(`/${id}`);
      return done(last) ? last : undefined;
    },
    { what, timeoutMs, intervalMs: 200, detail: () => `${JSON.stringify(last?.counts)}\n${system.logs()}` },
  );
}

const phones = (base: number, n: number) => Array.from({ length: n }, (_, i) => String(base + i));
const notification = (to: string[]) => ({
  template: { name: 'order_shipped', language: 'en_US' },
  recipients: to.map((wa, i) => ({ to: `+${wa}`, parameters: { body: [`Customer ${i}`, `#${4800 + i}`] } })),
});

describe('notifications through the router and the simulator', () => {
  it('goes queued → sent → delivered → read for every recipient, and the phone shows the template once', async () => {
    const to = phones(15558100001, 3);
    const created = await call('', notification(to));
    // Queued at creation, though the dispatcher may already have sent some by the time the answer is read.
    const { queued, sent, delivered, read, total } = created.counts;
    expect({ accounted: queued + sent + delivered + read, total }).toEqual({ accounted: 3, total: 3 });
    expect(created.counts).toMatchObject({ failed: 0, cancelled: 0 });
    const done = await until(created.id, (n) => n.counts.read === 3, 'all read');
    expect(done.state).toBe('completed');
    expect(done.recipients.every((r) => r.wamid?.startsWith('wamid.'))).toBe(true);
    const received = await phone.received(to[0] ?? '');
    expect(received.filter((m) => m.type === 'template')).toHaveLength(1);
    expect(JSON.stringify(received[0]?.content)).toContain('Customer 0');
  });

  it('records a failed send with Meta’s code and title, and resends it (only it) once', async () => {
    await phone.faults({ fail_next: [{ code: 132001, count: 1 }] });
    const to = phones(15558200001, 2);
    const created = await call('', notification(to));
    const settled = await until(
      created.id,
      (n) => n.counts.failed === 1 && n.counts.read === 1,
      'one failed, one read',
    );
    const failed = settled.recipients.find((r) => r.status === 'failed');
    const read = settled.recipients.find((r) => r.status === 'read');
    expect(failed?.error?.code).toBe(132001);
    expect(failed?.error?.title).toBeTruthy();

    const resent = await call(`/${created.id}/resend`);
    expect(resent.resent).toBe(1);
    const final = await until(created.id, (n) => n.counts.read === 2, 'both read');
    expect(final.recipients.find((r) => r.id === failed?.id)).toMatchObject({
      attempt: 2,
      status: 'read',
      error: null,
    });
    expect((await call(`/${created.id}/resend`)).resent).toBe(0);
    const again = await phone.received(read?.to ?? '');
    expect(again.filter((m) => m.type === 'template')).toHaveLength(1);
  });

  it(`drains at the configured rate (${rate}/s) and cancels what is not sent yet`, async () => {
    const to = phones(15558300001, 40);
    const created = await call('', notification(to));
    const started = Date.now();
    await until(created.id, (n) => n.counts.queued <= 30, 'ten sent', 15_000);
    const cancelled = await call(`/${created.id}/cancel`);
    expect(cancelled.counts.cancelled).toBeGreaterThan(10);
    // A send the router had already taken when the cancel came is reported as sent once Meta accepted it:
    // compare only after the statuses stopped moving.
    const final = await settledState(created.id);
    const left = final.counts.sent + final.counts.delivered + final.counts.read;
    expect(final.counts.queued).toBe(0);
    expect(left + final.counts.cancelled).toBe(40);
    // Ten or more went out in the time the limit allows, and no cancelled recipient got the template.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((left - 1) / rate) * 1000 * 0.8);
    for (const r of final.recipients.filter((x) => x.status === 'cancelled').slice(0, 5))
      expect((await phone.received(r.to).catch(() => [])).filter((m) => m.type === 'template')).toHaveLength(
        0,
      );
  });
});

/** The notification once its counts stayed the same for two seconds (at most 20 s). */
async function settledState(id: string) {
  const deadline = Date.now() + 20_000;
  let last = JSON.stringify((await call(`/${id}`)).counts);
  let stableSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await call(`/${id}`);
    const counts = JSON.stringify(current.counts);
    if (counts !== last) [last, stableSince] = [counts, Date.now()];
    else if (Date.now() - stableSince >= 2000 || Date.now() > deadline) return current;
  }
}
