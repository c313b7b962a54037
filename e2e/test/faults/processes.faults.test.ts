import type { RunningService } from '@wa-broker/infra/launch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.js';
import { isAlive } from '../../src/healthy.js';
import { type PrivateRedis, startPrivateRedis } from '../../src/private-redis.js';
import { after, type Scenario, startScenario, summary } from '../../src/scenario.js';
import { quickGroupEnv } from '../../src/system-env.js';
import { zeroLoss } from '../../src/tally.js';
import { unknownDeliveries } from '../../src/unknown-deliveries.js';

// Two routers, a private Redis (restarted here, never the machine's), the agent backend; shared Kafka.
let redis: PrivateRedis;
let scenario: Scenario;
const rate = 20;

beforeAll(async () => {
  redis = await startPrivateRedis();
  scenario = await startScenario({
    routers: 2,
    redisUrl: redis.url,
    // A crashed router's claims are taken over after 15 s instead of the production 260 s, its partitions
    // after 4 s instead of 30 s.
    routerEnv: {
      SEND_CLAIM_LEASE_SECONDS: '15',
      // A send nobody can vouch for is reported within the settle time (production: 120 s).
      SEND_UNKNOWN_AFTER_SECONDS: '20',
      ...quickGroupEnv,
    },
  });
}, 180_000);

// Each scenario starts from a healthy system, whatever the previous one left behind when it failed.
beforeEach(async () => {
  await redis.ensureUp();
  const relaunched = await scenario.restoreHealth();
  if (relaunched.length > 0) console.warn(`restarted before the scenario: ${relaunched.join(', ')}`);
}, 180_000);

afterAll(async () => {
  await scenario?.stop();
  await redis?.stop();
}, 60_000);

describe('process faults under steady load', () => {
  it('kill -9 one of two routers mid-stream: the other takes over, 0 lost, 0 sent twice, order per user kept', async () => {
    const users = await scenario.connect(3, 10);
    const [victim, survivor] = scenario.system.routers as [RunningService, RunningService];
    try {
      const errorsBefore = scenario.agent.errors.length;
      const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 10_000 }, async () => {
        await after(4000);
        await victim.kill();
      });
      const unknown = await unknownDeliveries(scenario, result.sent, errorsBefore);
      recordFigures('router-kill', {
        ratePerSecond: rate,
        users: users.length,
        deliveryUnknown: unknown.unknownKeys.length,
        ...summary(result),
      });
      expect(isAlive(survivor)).toBe(true);
      const { lostReplies: _replies, agentErrors: _errors, ...exact } = zeroLoss;
      expect(result.tally).toMatchObject({ ...exact, orderViolationsAgent: 0, orderViolationsUser: 0 });
      // The kill may land between a send's `sending` mark and the simulator reading it (kill loop: about one
      // kill in 20): exactly those replies are missing, each reported unknown to its agent, and nothing else.
      expect(unknown.otherErrors).toEqual([]);
      expect(unknown.unknownKeys).toEqual(unknown.lostReplyKeys);
      expect(result.tally.lostReplies).toBe(unknown.lostReplyKeys.length);
    } finally {
      // Back to two routers for the next scenarios, whatever the outcome.
      if (!isAlive(victim)) await scenario.system.relaunch(victim);
    }
  }, 180_000);

  it('restart Redis under load: sessions survive, no crash loop, nothing lost', async () => {
    const users = await scenario.connect(4, 10);
    const menusBefore = await menuCount(users);
    const pids = scenario.system.routers.map((router) => router.process.pid);
    const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 10_000 }, async () => {
      await after(3000);
      await redis.restart({ downMs: 3000 });
    });
    const menusAfter = await menuCount(users);
    if (result.tally.agentErrors > 0)
      console.warn(
        'agent errors',
        JSON.stringify(scenario.agent.errors.slice(-5).map((e) => [e.code, e.text])),
      );
    recordFigures('redis-restart', {
      ratePerSecond: rate,
      users: users.length,
      redisDownSeconds: 3,
      menusShownAgain: menusAfter - menusBefore,
      routerRestarts: 0,
      ...summary(result),
    });
    expect(result.tally).toMatchObject(zeroLoss);
    // Sessions lived through the restart (AOF): nobody was sent back to the menu.
    expect(menusAfter - menusBefore).toBe(0);
    expect(scenario.system.routers.map((router) => [router.process.pid, router.process.exitCode])).toEqual(
      pids.map((pid) => [pid, null]),
    );
    for (const router of scenario.system.routers)
      expect((await fetch(`${router.url}/readyz`)).status).toBe(200);
  }, 180_000);

  it('kill -9 the agent backend and stop the agent: messages wait in Kafka and arrive when they are back', async () => {
    const users = await scenario.connect(5, 6);
    await scenario.system.kill(scenario.system.agent);
    // Both come back inside the fault (scenario.load waits for it even when the load fails); the next
    // scenario's restoreHealth catches a relaunch that failed.
    const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 6000 }, async () => {
      await scenario.stopAgent();
      await after(7000);
      await scenario.restartAgent();
      await scenario.system.relaunch(scenario.system.agent);
    });
    const missingInBackend = await missingInAgentBackend(
      result.sent.map((message) => message.wamid),
      users,
    );
    recordFigures('agent-backend-kill', {
      ratePerSecond: rate,
      users: users.length,
      downSeconds: 7,
      missingInBackend,
      ...summary(result),
    });
    expect(result.tally).toMatchObject(zeroLoss);
    expect(missingInBackend).toBe(0);
  }, 180_000);
});

async function menuCount(users: readonly string[]): Promise<number> {
  const chats = await Promise.all(users.map((waId) => scenario.phone.received(waId)));
  return chats.flat().filter((entry) => entry.type === 'interactive').length;
}

/** Sent wamids the agent backend has not stored (its read API, as an operator's script would), after a wait. */
async function missingInAgentBackend(wamids: readonly string[], users: readonly string[]): Promise<number> {
  const { operatorToken } = scenario.system;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stored = await Promise.all(
      users.map(async (waId) => {
        const url = `${scenario.system.agent.url}/api/conversations/${waId}/messages?limit=200`;
        const response = await fetch(url, { headers: { authorization: `Bearer ${operatorToken}` } });
        return response.text();
      }),
    );
    const text = stored.join('\n');
    const missing = wamids.filter((wamid) => !text.includes(wamid)).length;
    if (missing === 0 || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
