import { isStatusForward } from '@wa-broker/shared/delivery-status';
import { metaLimits } from '@wa-broker/shared/meta-limits';
import { OutboundValidationError } from '@wa-broker/shared/outbound-rules';
import {
  isWindowOpen,
  isWindowOpenAtMeta,
  latestInbound,
  replyMarginMs,
  windowExpiresAt,
} from '@wa-broker/shared/reply-window';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../../services/router/src/domain/agent.js';
import type { GraphMessage } from '../../../services/router/src/domain/graph-message.js';
import { buildMenu, menuPageCount, parseMenuChoice } from '../../../services/router/src/domain/menu.js';
import { toGraphMessage } from '../../../services/router/src/domain/outbound-validation.js';

// Here rather than beside the rules: services/router/src/domain is being edited by the router engineer.
const runs = { numRuns: 300 };
const chars = (text: string) => Array.from(text).length;
const texts = {
  greeting: 'Hello! Who would you like to talk to?',
  listButton: 'Choose an agent',
  sectionTitle: 'Available agents',
  moreTitle: 'More agents…',
  firstPageTitle: 'Back to the start',
};
const agentArb = (id: number) =>
  fc.record({ name: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }) }).map(
    ({ name }): Agent => ({
      id: `a${id}`,
      name,
      active: true,
      topics: { in: `a${id}-in`, out: `a${id}-out`, error: `a${id}-error` },
    }),
  );
const agentsArb = fc
  .integer({ min: 1, max: 60 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => agentArb(index))));

function rowsOf(menu: GraphMessage): { id: string; title: string; description?: string }[] {
  const interactive = (menu as { interactive: { action: Record<string, unknown> } }).interactive.action;
  const sections = interactive.sections as { rows: { id: string; title: string }[] }[] | undefined;
  if (sections) return sections.flatMap((section) => section.rows);
  return (interactive.buttons as { reply: { id: string; title: string } }[]).map((button) => button.reply);
}

describe('menu paging (property)', () => {
  it('following "more" from page 0 shows every agent exactly once, within Meta’s limits, and wraps to page 0', () => {
    fc.assert(
      fc.property(agentsArb, (agents) => {
        const seen: string[] = [];
        let page = 0;
        for (let step = 0; step < menuPageCount(agents.length); step += 1) {
          const rows = rowsOf(buildMenu(agents, texts, page));
          const limit = agents.length <= 3 ? metaLimits.buttons.count : metaLimits.list.rowsTotal;
          expect(rows.length).toBeLessThanOrEqual(limit);
          for (const row of rows) {
            expect(chars(row.title)).toBeLessThanOrEqual(metaLimits.list.rowTitle);
            const choice = parseMenuChoice(row.id);
            if (choice?.kind === 'agent') seen.push(choice.agentId);
            else if (choice?.kind === 'page') page = choice.page;
            else throw new Error(`unreadable row id ${row.id}`);
          }
        }
        expect(seen).toEqual(agents.map((agent) => agent.id));
        expect(page).toBe(0);
      }),
      runs,
    );
  });

  it('clamps any requested page into range', () => {
    fc.assert(
      fc.property(agentsArb, fc.integer({ min: -5, max: 50 }), (agents, page) => {
        expect(rowsOf(buildMenu(agents, texts, page)).length).toBeGreaterThan(0);
      }),
      runs,
    );
  });
});

describe('24 h window (property)', () => {
  const instant = fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 });
  it('is open for replies exactly while now < last inbound + 24 h − margin, and at Meta until + 24 h', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }), (last, offset) => {
        const now = new Date(last + offset);
        const expires = windowExpiresAt(new Date(last));
        expect(expires.getTime() - last).toBe(24 * 3_600_000);
        expect(isWindowOpen(expires, now)).toBe(now.getTime() < last + 24 * 3_600_000 - replyMarginMs);
        expect(isWindowOpenAtMeta(expires, now)).toBe(now.getTime() < last + 24 * 3_600_000);
      }),
      runs,
    );
  });

  it('only a newer message moves it, whatever order Meta delivers them in', () => {
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 30 }), (stamps) => {
        const latest = stamps.reduce<Date | null>(
          (current, at) => latestInbound(current, new Date(at)),
          null,
        );
        expect(latest?.getTime()).toBe(Math.max(...stamps));
      }),
      runs,
    );
  });
});

describe('status monotonicity (property)', () => {
  const status = fc.constantFrom('sent', 'delivered', 'read', 'failed' as const);
  const order = { sent: 1, delivered: 2, read: 3 } as const;
  it('accepted statuses only move forward, failed ends only a message never delivered, nothing follows it', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 20 }), (incoming) => {
        const accepted: (typeof incoming)[number][] = [];
        for (const next of incoming) if (isStatusForward(accepted.at(-1) ?? null, next)) accepted.push(next);
        const progress = accepted.filter((s) => s !== 'failed');
        for (let index = 1; index < progress.length; index += 1)
          expect(order[progress[index] as 'sent']).toBeGreaterThan(order[progress[index - 1] as 'sent']);
        if (accepted.includes('failed')) {
          expect(accepted.at(-1)).toBe('failed');
          expect(progress.every((s) => s === 'sent')).toBe(true);
        }
        if (incoming.length) expect(accepted.length).toBeGreaterThan(0);
      }),
      runs,
    );
  });
});

describe('limit validation (property)', () => {
  const anyText = fc.string({ maxLength: 5000, unit: 'grapheme-composite' });
  it('a text is sent unchanged when 1–4096 characters and not blank, else refused with invalid_message', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ minLength: 4090, maxLength: 4100 })), (text) => {
        const valid = text.trim() !== '' && chars(text) <= metaLimits.textBody;
        const attempt = () => toGraphMessage({ v: 1, waID: '1555', message_type: 'text', text });
        if (valid) expect(attempt()).toMatchObject({ type: 'text', text: { body: text } });
        else expect(attempt).toThrow(OutboundValidationError);
      }),
      runs,
    );
  });

  it('reply buttons: 1–3, unique ids and titles, titles ≤ 20 characters, or invalid_message', () => {
    const button = fc.record({ id: fc.string({ maxLength: 8 }), title: fc.string({ maxLength: 24 }) });
    fc.assert(
      fc.property(fc.array(button, { maxLength: 5 }), (buttons) => {
        const attempt = () =>
          toGraphMessage({ v: 1, waID: '1555', message_type: 'buttons', text: 'pick one', buttons });
        const unique = (values: string[]) => new Set(values).size === values.length;
        const valid =
          buttons.length >= 1 &&
          buttons.length <= metaLimits.buttons.count &&
          unique(buttons.map((b) => b.id)) &&
          unique(buttons.map((b) => b.title)) &&
          buttons.every(
            (b) => b.id.trim() !== '' && b.title.trim() !== '' && chars(b.title) <= metaLimits.buttons.title,
          );
        try {
          const body = attempt();
          expect(valid, `accepted ${JSON.stringify(buttons)}`).toBe(true);
          expect(rowsOf(body)).toHaveLength(buttons.length);
        } catch (error) {
          expect(error).toBeInstanceOf(OutboundValidationError);
          expect(valid, `refused ${JSON.stringify(buttons)}: ${(error as Error).message}`).toBe(false);
        }
      }),
      runs,
    );
  });
});
