import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { replayHeaders } from '@wa-broker/shared/webhook-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.putAgent(1, 'Sales');
  await h.watch([h.topics('a1').in]);
  await h.router.start();
});
afterAll(async () => {
  await h?.stop();
});

const rebuildState = { [replayHeaders.replayed]: 'true', [replayHeaders.mode]: 'rebuild-state' };

/** A webhook message event as `pnpm replay --rebuild-state` republishes it (services/webhook src/replay/). */
const replayed = (user: string, item: Record<string, unknown>) =>
  h.inboundMany([{ user, item, headers: rebuildState }]);

describe('replayed events in rebuild-state mode', () => {
  it('rebuild the session and the window by Meta’s timestamps, and send or route nothing', async () => {
    const user = `1555${h.id.replace(/\D/g, '').slice(0, 4)}0001`;
    const lastSecond = Math.floor(Date.now() / 1000) - 3600;
    await replayed(user, {
      id: `wamid.${randomUUID()}`,
      timestamp: String(lastSecond - 60),
      type: 'text',
      text: { body: 'hi' },
    });
    await replayed(user, {
      id: `wamid.${randomUUID()}`,
      timestamp: String(lastSecond - 30),
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'agent:1', title: 'Sales' } },
    });
    await replayed(user, {
      id: `wamid.${randomUUID()}`,
      timestamp: String(lastSecond),
      type: 'text',
      text: { body: 'more' },
    });
    const prefix = h.config.REDIS_KEY_PREFIX;
    const expected = new Date(lastSecond * 1000).toISOString();
    // Each replayed message moves the window; the last one (Meta's timestamp, not ours) is where it ends.
    const conversation = conversationKey(h.config.GRAPH_PHONE_NUMBER_ID, user);
    const windowKey = `${prefix}window:${conversation}`;
    await eventually(
      async () => {
        const value = await h.redis.get(windowKey);
        return value !== null && JSON.parse(value).last_inbound_at === expected;
      },
      { what: `${windowKey} to hold last_inbound_at ${expected}` },
    );
    expect(JSON.parse((await h.redis.get(`${prefix}session:${conversation}`)) ?? 'null')).toEqual({
      state: 'agent',
      agentId: '1',
    });

    // A live message after them goes straight to the agent: no menu, and nothing of the replay before it.
    const live = await h.text(user, 'live again');
    await eventually(() => h.received(h.topics('a1').in).find((e) => e.wamid === live), {
      what: 'the live message at the agent',
    });
    expect(
      h
        .received(h.topics('a1').in)
        .filter((e) => e.waID === user)
        .map((e) => e.text),
    ).toEqual(['live again']);
    expect(h.graph.to(user)).toHaveLength(0);
  });
});
