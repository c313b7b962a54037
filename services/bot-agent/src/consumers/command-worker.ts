import { type Agent, bindReplier } from '@wa-broker/agent-sdk';
import type { Logger } from '@wa-broker/shared/logger';
import { commandJob, verifyJob } from '../domain/command-token.js';
import { runCommand } from '../domain/handle-command.js';
import type { BackendApi } from '../domain/ports.js';
import { expiredReply } from '../domain/replies.js';
import { present } from './present.js';

export interface CommandWorkerDeps {
  agent: Agent;
  api: BackendApi;
  secret: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * The worker side: verifies a job's signature and expiry before anything else, then calls the API and answers
 * only the user named in the (signed) job. A forged or malformed job is logged and dropped — its `waID` is
 * attacker-chosen, so nobody is messaged.
 */
export function commandWorker(deps: CommandWorkerDeps) {
  const now = deps.now ?? (() => new Date());
  return async (value: unknown, where: { partition: number; offset: string }): Promise<void> => {
    const parsed = commandJob.safeParse(value);
    if (!parsed.success) {
      deps.logger.warn({ ...where, reason: 'malformed' }, 'command job rejected');
      return;
    }
    const job = parsed.data;
    const logger = deps.logger.child({ ...where, job_id: job.job_id, command: job.command });
    const verdict = verifyJob(job, deps.secret, now());
    const answer = job.reply_to ? { replyTo: job.reply_to } : {};
    if (!verdict.ok && verdict.reason === 'forged') {
      logger.warn({ reason: 'forged' }, 'command job rejected');
      return;
    }
    // Keys `<job_id>:answer:<n>`: a job read twice (or queued twice by a redelivered event) is sent once.
    const reply = bindReplier(deps.agent.send, job.waID, `${job.job_id}:answer`);
    if (!verdict.ok) {
      logger.info({ reason: 'expired', expires_at: job.expires_at }, 'command job rejected');
      return present(expiredReply(), reply, answer);
    }
    await present(await runCommand(verdict.command, deps.api), reply, answer);
    logger.info('command answered');
  };
}
