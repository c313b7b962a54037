/** A command the bot understands, parsed from a text or from the id of a tapped row or button. */
export type Command =
  | { kind: 'help' }
  | { kind: 'status'; order: string }
  | { kind: 'quote'; symbol: string }
  | { kind: 'usage'; command: 'status' | 'quote' }
  | { kind: 'unknown' };

/** The commands that call the external API, and so go through the signed job queue. */
export type ApiCommand = Extract<Command, { kind: 'status' | 'quote' }>;

const argument = /^[A-Za-z0-9._-]{1,32}$/;

/** `/quote aapl` → quote AAPL; anything not starting with `/` is treated as asking for help. */
export function parseCommand(text: string): Command {
  const [name = '', arg, ...rest] = text.trim().split(/\s+/);
  switch (name.toLowerCase()) {
    case '/help':
    case '/start':
    case 'help':
      return { kind: 'help' };
    case '/status':
      return arg && rest.length === 0 && argument.test(arg)
        ? { kind: 'status', order: arg.toUpperCase() }
        : { kind: 'usage', command: 'status' };
    case '/quote':
      return arg && rest.length === 0 && argument.test(arg)
        ? { kind: 'quote', symbol: arg.toUpperCase() }
        : { kind: 'usage', command: 'quote' };
    default:
      return name.startsWith('/') ? { kind: 'unknown' } : { kind: 'help' };
  }
}

export function isApiCommand(command: Command): command is ApiCommand {
  return command.kind === 'status' || command.kind === 'quote';
}

export function commandText(command: ApiCommand): string {
  return command.kind === 'status' ? `/status ${command.order}` : `/quote ${command.symbol}`;
}
