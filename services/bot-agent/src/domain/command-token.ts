import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ApiCommand } from './commands.js';

/**
 * A command on its way from the `-in` handler to the worker, on the bot's internal command topic. `sig` is an
 * HMAC-SHA256 over every other field, so a job written to the topic by anyone without the secret — or a real
 * job with a changed user, command or expiry — is rejected, and an old job stops being honoured at `expires_at`.
 */
export const commandJob = z.object({
  v: z.literal(1),
  /** The `-in` event's id: a redelivered event makes the same job, and the reply the same idempotency key. */
  job_id: z.string().min(1).max(300),
  command: z.enum(['status', 'quote']),
  arg: z.string().min(1).max(32),
  waID: z.string().min(1),
  /** The user's message, quoted in the reply. */
  reply_to: z.string().optional(),
  expires_at: z.iso.datetime(),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});
export type CommandJob = z.infer<typeof commandJob>;
export type UnsignedJob = Omit<CommandJob, 'sig' | 'expires_at'>;

export type JobVerdict = { ok: true; command: ApiCommand } | { ok: false; reason: 'forged' | 'expired' };

function signature(job: Omit<CommandJob, 'sig'>, secret: string): string {
  // A fixed field order and JSON quoting: no two different jobs serialise to the same signed text.
  const fields = [job.v, job.job_id, job.command, job.arg, job.waID, job.reply_to ?? '', job.expires_at];
  return createHmac('sha256', secret).update(JSON.stringify(fields)).digest('hex');
}

export function signJob(job: UnsignedJob, secret: string, now: Date, ttlMs: number): CommandJob {
  const expires_at = new Date(now.getTime() + ttlMs).toISOString();
  return { ...job, expires_at, sig: signature({ ...job, expires_at }, secret) };
}

/** Checks the signature first (a forged job says nothing true, not even its expiry), then the expiry. */
export function verifyJob(job: CommandJob, secret: string, now: Date): JobVerdict {
  const expected = Buffer.from(signature(job, secret), 'hex');
  const given = Buffer.from(job.sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  if (Date.parse(job.expires_at) <= now.getTime()) return { ok: false, reason: 'expired' };
  const command: ApiCommand =
    job.command === 'status' ? { kind: 'status', order: job.arg } : { kind: 'quote', symbol: job.arg };
  return { ok: true, command };
}

export function jobFor(command: ApiCommand): Pick<UnsignedJob, 'command' | 'arg'> {
  return command.kind === 'status'
    ? { command: 'status', arg: command.order }
    : { command: 'quote', arg: command.symbol };
}
