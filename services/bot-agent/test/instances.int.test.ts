import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { agentGroupPrefix } from '@wa-broker/shared/kafka-access';
import { agentSlug } from '@wa-broker/shared/topics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './support/harness.js';

describe('two bot instances', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('share both consumer groups and answer each command exactly once', async () => {
    const [first, second] = [await h.startBot(), await h.startBot()];
    if (!first || !second) throw new Error('two bots expected');
    const admin = h.kafka.admin();
    await admin.connect();
    // The bot's default groups, under its agent's `<slug>:` prefix.
    const prefix = agentGroupPrefix(agentSlug(h.config.BOT_AGENT_NAME));
    const groups = [`${prefix}bot`, `${prefix}commands`];
    await eventually(
      async () => {
        const { groups: described } = await admin.describeGroups(groups);
        return described.every((group) => group.state === 'Stable' && group.members.length === 2);
      },
      { what: 'both groups to settle with two members each', timeoutMs: 20_000, intervalMs: 200 },
    );
    const out: AgentOutboundMessage[] = await h.readOut(first);
    const users = Array.from({ length: 12 }, (_, i) => `u-${i}`);
    await h.send(
      first.agent.topics.in,
      users.map((user, i) => h.text(user, `/quote ${['AAPL', 'MSFT', 'EUR'][i % 3]}`)),
    );
    await eventually(() => users.every((user) => out.some((m) => m.waID === user)), {
      timeoutMs: 20_000,
      what: 'every answer',
    });
    // Give a duplicate time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const user of users) expect(out.filter((m) => m.waID === user)).toHaveLength(1);
    expect(new Set(out.map((m) => m.idempotency_key)).size).toBe(out.length);
    await admin.disconnect();
  });
});
