import type { Agent, HandlerContext } from '@wa-broker/agent-sdk';
import { type CommandJob, jobFor, signJob } from '../domain/command-token.js';
import { parseCommand } from '../domain/commands.js';
import { decideCommand } from '../domain/handle-command.js';
import { greetingReply } from '../domain/replies.js';
import { present } from './present.js';

export interface UserMessagesDeps {
  enqueue: (job: CommandJob) => Promise<void>;
  secret: string;
  tokenTtlMs: number;
  now?: () => Date;
}

/**
 * The `-in` side: answers what needs no lookup at once and queues a signed job for the rest, so a slow API
 * never holds up the user's partition of `-in` and the worker only trusts jobs this bot signed.
 */
export function registerUserMessages(agent: Agent, deps: UserMessagesDeps): void {
  const now = deps.now ?? (() => new Date());
  const onCommand = async (
    text: string,
    message: { eventId: string; waID: string; wamid?: string },
    { reply, logger }: HandlerContext,
  ) => {
    const decision = decideCommand(parseCommand(text));
    if (decision.kind === 'answer') return present(decision.reply, reply);
    const unsigned = {
      v: 1 as const,
      job_id: message.eventId,
      ...jobFor(decision.command),
      waID: message.waID,
      ...(message.wamid ? { reply_to: message.wamid } : {}),
    };
    await deps.enqueue(signJob(unsigned, deps.secret, now(), deps.tokenTtlMs));
    logger.info({ command: unsigned.command }, 'command queued');
  };
  agent
    .on('text', (message, context) => onCommand(message.text, message, context))
    // Rows and buttons of the bot's own lists carry the command as their id.
    .on('reply', (message, context) => onCommand(message.reply.id, message, context))
    .on('session_started', (_message, { reply }) => present(greetingReply(), reply))
    .on('error', (error, { logger }) =>
      logger.warn({ code: error.code, idempotency_key: error.idempotencyKey }, 'router rejected a reply'),
    );
}
