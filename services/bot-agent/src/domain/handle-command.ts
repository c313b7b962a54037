import type { ApiCommand, Command } from './commands.js';
import { isApiCommand } from './commands.js';
import type { BackendApi } from './ports.js';
import { commandReply, helpReply, type Reply, unknownReply, usageReply } from './replies.js';

/** What the `-in` handler does with a command: answer now, or queue it for the worker (it calls the API). */
export type CommandDecision = { kind: 'answer'; reply: Reply } | { kind: 'enqueue'; command: ApiCommand };

export function decideCommand(command: Command): CommandDecision {
  if (isApiCommand(command)) return { kind: 'enqueue', command };
  if (command.kind === 'help') return { kind: 'answer', reply: helpReply() };
  if (command.kind === 'usage') return { kind: 'answer', reply: usageReply(command.command) };
  return { kind: 'answer', reply: unknownReply() };
}

/** The worker's part: ask the API, turn its answer or failure into a reply for the user who asked. */
export async function runCommand(command: ApiCommand, api: BackendApi): Promise<Reply> {
  const lookup =
    command.kind === 'status' ? await api.orderStatus(command.order) : await api.quote(command.symbol);
  return commandReply(command, lookup);
}
