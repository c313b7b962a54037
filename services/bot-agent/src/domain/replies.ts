import type { ApiCommand } from './commands.js';
import type { Lookup, LookupFailure, OrderStatus, Quote } from './ports.js';

/** What the bot answers, independent of how it is sent. Row and button ids are commands themselves. */
export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; body: string; buttons: { id: string; title: string }[] }
  | {
      kind: 'list';
      body: string;
      button: string;
      title: string;
      rows: { id: string; title: string; description: string }[];
    };

export const examples = { order: 'A1001', symbols: ['AAPL', 'MSFT', 'EUR'] } as const;

export function helpReply(): Reply {
  return {
    kind: 'list',
    body: 'I can look things up for you:\n/status <order> — where your order is\n/quote <symbol> — a price\nPick an example or type a command.',
    button: 'Examples',
    title: 'Try',
    rows: [
      {
        id: `/status ${examples.order}`,
        title: `Order ${examples.order}`,
        description: 'Where is my order?',
      },
      ...examples.symbols.map((symbol) => ({
        id: `/quote ${symbol}`,
        title: `Quote ${symbol}`,
        description: `The current price of ${symbol}`,
      })),
    ],
  };
}

export function greetingReply(): Reply {
  return {
    kind: 'buttons',
    body: 'Hi! I am the command bot. Ask me about an order or a price.',
    buttons: [
      { id: '/help', title: 'Help' },
      { id: `/status ${examples.order}`, title: 'Order status' },
    ],
  };
}

export function usageReply(command: 'status' | 'quote'): Reply {
  const example = command === 'status' ? `/status ${examples.order}` : '/quote AAPL';
  return { kind: 'text', text: `Please add what to look up, for example: ${example}` };
}

export function unknownReply(): Reply {
  return { kind: 'text', text: "I don't know that command. Send /help to see what I can do." };
}

export function expiredReply(): Reply {
  return { kind: 'text', text: 'Sorry, your request took too long to process. Please send it again.' };
}

export function orderReply(lookup: Lookup<OrderStatus>, order: string): Reply {
  if (!lookup.ok) return failureReply(lookup.failure, 'order service', `I could not find an order ${order}.`);
  const { status, updatedAt } = lookup.value;
  return {
    kind: 'buttons',
    body: `Order ${order} is ${status} (last update ${updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    buttons: [
      { id: `/status ${order}`, title: 'Refresh' },
      { id: '/help', title: 'Help' },
    ],
  };
}

export function quoteReply(lookup: Lookup<Quote>, symbol: string): Reply {
  if (!lookup.ok) return failureReply(lookup.failure, 'price service', `I don't know the symbol ${symbol}.`);
  const { price, currency } = lookup.value;
  return { kind: 'text', text: `${symbol}: ${price.toFixed(2)} ${currency}` };
}

export function commandReply(command: ApiCommand, lookup: Lookup<OrderStatus> | Lookup<Quote>): Reply {
  return command.kind === 'status'
    ? orderReply(lookup as Lookup<OrderStatus>, command.order)
    : quoteReply(lookup as Lookup<Quote>, command.symbol);
}

/** Plain words for the user who asked; no codes, no internals. */
function failureReply(failure: LookupFailure, service: string, notFound: string): Reply {
  const text: Record<LookupFailure, string> = {
    timeout: `Sorry, the ${service} is taking too long to answer. Please try again in a minute.`,
    unavailable: `Sorry, the ${service} is not available right now. Please try again later.`,
    bad_data: `Sorry, the ${service} sent an answer I could not understand. Please try again later.`,
    not_found: notFound,
  };
  return { kind: 'text', text: text[failure] };
}
