import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.js';
import type { ProxyHit } from '../../src/proxy.js';
import { type Scenario, startScenario, summary } from '../../src/scenario.js';

// Two webhooks behind a round-robin balancer, two routers sharing one Redis token bucket, every Graph call metered.
let scenario: Scenario;
const limit = 10;
const rate = 20;

beforeAll(async () => {
  scenario = await startScenario({
    webhooks: 2,
    routers: 2,
    meterGraph: true,
    agentBackend: false,
    routerEnv: { RATE_LIMIT_PER_NUMBER: String(limit) },
    // Meta's limit at the simulator too: any excess would come back as 130429.
    simulatorEnv: { SIM_THROUGHPUT_PER_SECOND: String(limit) },
  });
}, 180_000);

afterAll(async () => {
  await scenario?.stop();
}, 60_000);

/** The most sends that fell in any one-second window. */
function busiestSecond(hits: readonly ProxyHit[]): number {
  const times = hits.map((hit) => hit.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function sentBy(routerUrl: string): Promise<number> {
  const metrics = await (await fetch(`${routerUrl}/metrics`)).text();
  return [...metrics.matchAll(/^router_sends_total\{[^}]*outcome="sent"[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

describe('scale-out: two webhooks and two routers on one machine', () => {
  it(`share the load, and the number's send rate stays at ${limit}/s across both routers`, async () => {
    const { system } = scenario;
    const users = await scenario.connect(7, 10);
    const from = system.graphMeter?.hits.length ?? 0;
    const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 6000 }, undefined, {
      timeoutMs: 120_000,
    });
    const sends = (system.graphMeter?.hits ?? [])
      .slice(from)
      .filter((hit) => hit.method === 'POST' && hit.path.endsWith('/messages'));
    const perWebhook = system.webhookProxy?.perTarget() ?? [];
    const perRouter = await Promise.all(system.routers.map((router) => sentBy(router.url)));
    const refused = sends.filter((hit) => hit.status !== 200).length;
    const seconds = ((sends.at(-1)?.at ?? 0) - (sends[0]?.at ?? 0)) / 1000;
    recordFigures('scale-out', {
      webhooks: 2,
      routers: 2,
      ratePerSecond: rate,
      limitPerSecond: limit,
      users: users.length,
      graphSends: sends.length,
      busiestSecond: busiestSecond(sends),
      averagePerSecond: Math.round((sends.length / Math.max(seconds, 1)) * 10) / 10,
      refusedByMeta: refused,
      webhookPostsPerInstance: perWebhook,
      sendsPerRouter: perRouter,
      ...summary(result),
    });
    expect(result.tally).toMatchObject({
      lostToAgent: 0,
      duplicatedToAgent: 0,
      lostReplies: 0,
      duplicateSends: 0,
    });
    expect(busiestSecond(sends)).toBeLessThanOrEqual(limit);
    expect(refused).toBe(0);
    expect(perWebhook.every((count) => count > 20)).toBe(true);
    expect(perRouter.every((count) => count > 0)).toBe(true);
  }, 240_000);
});
