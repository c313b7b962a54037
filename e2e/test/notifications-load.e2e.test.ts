import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNotificationLoad } from '../src/notify-load.js';
import { type System, startSystem } from '../src/system.js';

let system: System;
// The router's default per-number limit (Meta's 80/s), the simulator's throughput set to match.
const rate = 80;
const recipients = 1000;

beforeAll(async () => {
  system = await startSystem({
    notify: true,
    agentBackend: false,
    routerEnv: { RATE_LIMIT_PER_NUMBER: String(rate) },
    simulatorEnv: { SIM_THROUGHPUT_PER_SECOND: String(rate) },
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe('a 1,000-recipient notification', () => {
  it(`goes out once to each recipient at no more than ${rate}/s, and every status is tracked to read`, async () => {
    const load = await runNotificationLoad(system, {
      recipients,
      limitPerSecond: rate,
      firstPhone: 15559100000,
      // A bound on liveness, not on speed (that is `pnpm bench:notify`): a CI machine saturated by the other
      // lane sent 17/s, far under the cap, and 45 s ran out with every send still correct.
      timeoutMs: 150_000,
    });
    const figures = JSON.stringify(load);
    expect(load.counts, figures).toMatchObject({ read: recipients, total: recipients, queued: 0, failed: 0 });
    expect(load.lost).toBe(0);
    expect(load.sends, figures).toBe(recipients);
    expect(load.sentTwice).toBe(0);
    // The limit held: a bucket of `rate` lets the first second burst, the rest waits for tokens.
    expect(load.sendSeconds, figures).toBeGreaterThanOrEqual((recipients - 2 * rate) / rate);
    expect(load.sendsPerSecond, figures).toBeLessThanOrEqual(rate);
  }, 180_000);
});
