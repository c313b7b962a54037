import { metaLimits } from '@wa-broker/shared/meta-limits';
import type { Agent } from './agent.js';
import type { GraphMessage, InteractiveBody, ListRowBody } from './graph-message.js';
import { truncate } from './text.js';

/** User-facing texts of the menu; all configurable. */
export interface MenuTexts {
  /** The body of the menu message (the greeting). */
  greeting: string;
  /** The list's button label. */
  listButton: string;
  sectionTitle: string;
  /** The row that opens the next page when there are more than 10 agents. */
  moreTitle: string;
  /** The row on the last page that goes back to the first. */
  firstPageTitle: string;
  footer?: string;
}

const agentRowPrefix = 'agent:';
const pageRowPrefix = 'menu:page:';
/** With more than 10 agents each page shows 9 and keeps one row for paging. */
const pagedRows = metaLimits.list.rowsTotal - 1;

export type MenuChoice = { kind: 'agent'; agentId: string } | { kind: 'page'; page: number };

/** Reads the id of a tapped menu row or button. */
export function parseMenuChoice(replyId: string): MenuChoice | undefined {
  if (replyId.startsWith(agentRowPrefix))
    return { kind: 'agent', agentId: replyId.slice(agentRowPrefix.length) };
  if (replyId.startsWith(pageRowPrefix)) {
    const page = Number(replyId.slice(pageRowPrefix.length));
    if (Number.isInteger(page) && page >= 0) return { kind: 'page', page };
  }
  return undefined;
}

export function menuPageCount(agentCount: number): number {
  return agentCount <= metaLimits.list.rowsTotal ? 1 : Math.ceil(agentCount / pagedRows);
}

/**
 * The menu for `agents` (already filtered to the active ones): reply buttons for ≤ 3, one list for ≤ 10, and
 * pages of 9 plus a "more" row beyond. Every title is cut to Meta's limits so Meta never rejects the menu.
 */
export function buildMenu(agents: readonly Agent[], texts: MenuTexts, page = 0): GraphMessage {
  const interactive: InteractiveBody =
    agents.length <= metaLimits.buttons.count
      ? {
          type: 'button',
          ...greeting(texts, metaLimits.buttons),
          action: { buttons: agents.map(agentButton) },
        }
      : { type: 'list', ...greeting(texts, metaLimits.list), action: listAction(agents, texts, page) };
  return { type: 'interactive', interactive };
}

function listAction(agents: readonly Agent[], texts: MenuTexts, page: number) {
  const limits = metaLimits.list;
  const rows = pageRows(agents, texts, page);
  return {
    button: truncate(texts.listButton, limits.button),
    sections: [{ title: truncate(texts.sectionTitle, limits.sectionTitle), rows }],
  };
}

/** The body and footer both menu shapes have, cut to that shape's limits. */
function greeting(texts: MenuTexts, limits: { body: number; footer: number }) {
  return {
    body: { text: truncate(texts.greeting, limits.body) },
    ...(texts.footer ? { footer: { text: truncate(texts.footer, limits.footer) } } : {}),
  };
}

function agentButton(agent: Agent) {
  return {
    type: 'reply' as const,
    reply: { id: agentRowId(agent), title: truncate(agent.name, metaLimits.buttons.title) },
  };
}

function pageRows(agents: readonly Agent[], texts: MenuTexts, page: number): ListRowBody[] {
  if (agents.length <= metaLimits.list.rowsTotal) return agents.map(agentRow);
  const pages = menuPageCount(agents.length);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const rows = agents.slice(current * pagedRows, (current + 1) * pagedRows).map(agentRow);
  const isLast = current === pages - 1;
  const navigation = isLast
    ? { id: `${pageRowPrefix}0`, title: truncate(texts.firstPageTitle, metaLimits.list.rowTitle) }
    : { id: `${pageRowPrefix}${current + 1}`, title: truncate(texts.moreTitle, metaLimits.list.rowTitle) };
  return [...rows, navigation];
}

function agentRow(agent: Agent): ListRowBody {
  const row: ListRowBody = { id: agentRowId(agent), title: truncate(agent.name, metaLimits.list.rowTitle) };
  if (agent.description) row.description = truncate(agent.description, metaLimits.list.rowDescription);
  return row;
}

/** Agent ids are short (admin's ids), far below Meta's 200-character row id limit. */
function agentRowId(agent: Agent): string {
  return `${agentRowPrefix}${agent.id}`;
}
