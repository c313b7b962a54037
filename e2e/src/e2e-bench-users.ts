import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { BenchOperatorSocket } from './bench-operator.js';
import { type ChatEntry, isE2eAgent, Phone } from './phone.js';

/** One simulated user of the benchmark, talking to the run's agent. */
export interface BenchUser {
  phone: string;
  /** The conversation's key at the agent (the operators' `wa_id`): the user's phone or BSUID. */
  key: string;
  /** Which operator answers this user (index into the sockets). */
  operator: number;
  /** The user's messages go out one after the other: each POST waits for the one before. */
  sending: Promise<void>;
  /** The simulator's seq of the last chat entry read back, so a re-read fetches only what is new. */
  lastSeq: number;
}

/** Distinct benchmark users: `1556<nnnnnnn>`, away from the e2e tests' `1555…`. */
export function benchPhones(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => `1556${String(offset + index).padStart(7, '0')}`);
}

/**
 * Receives the inbound `message` frames of every operator socket: the hellos of connecting users (by wamid),
 * and anything else handed to `onBenchMessage` (the load's messages, recognised by their text).
 */
export class InboundFrames {
  private readonly seenHellos = new Map<string, string>();
  private readonly helloWaiters = new Map<string, (key: string) => void>();
  onBenchMessage: (operator: number, text: string, key: string, receivedAt: number) => void = () => {};

  handle(operator: number, frame: ServerFrame, receivedAt: number): void {
    if (frame.type !== 'message' || frame.message.direction !== 'in') return;
    const { wamid, wa_id: key, text } = frame.message;
    if (text.startsWith('b ')) {
      this.onBenchMessage(operator, text, key, receivedAt);
      return;
    }
    if (!wamid || operator !== 0) return;
    this.seenHellos.set(wamid, key);
    this.helloWaiters.get(wamid)?.(key);
  }

  /** The conversation key the agent gave the message `wamid`, once the first operator saw it. */
  keyOf(wamid: string, timeoutMs: number): Promise<string> {
    const seen = this.seenHellos.get(wamid);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.helloWaiters.delete(wamid);
        reject(new Error(`the operator never got the hello ${wamid}`));
      }, timeoutMs);
      this.helloWaiters.set(wamid, (key) => {
        clearTimeout(timer);
        this.helloWaiters.delete(wamid);
        resolve(key);
      });
    });
  }
}

/**
 * Each user says hello, picks the run's agent from the menu and is seen by the first operator; `concurrency`
 * users at a time. Resolves with the users, their conversation keys known.
 */
export async function connectBenchUsers(
  phone: Phone,
  frames: InboundFrames,
  phones: readonly string[],
  operators: number,
  concurrency = 25,
): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < phones.length; index = next++) {
      const number = phones[index] as string;
      const hello = await phone.say(number, 'hello', `Bench User ${index}`);
      await phone.choose(number, isE2eAgent, 60_000);
      const key = await frames.keyOf(hello.wamid, 60_000);
      const chat = await phone.chat(number);
      users[index] = {
        phone: number,
        key,
        operator: index % operators,
        sending: Promise.resolve(),
        lastSeq: chat.at(-1)?.seq ?? 0,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, phones.length) }, worker));
  return users;
}

/** What a user's phone received since the last read (business messages and their own), `concurrency` at once. */
export async function readNewEntries(
  simulatorUrl: string,
  users: readonly BenchUser[],
  concurrency = 32,
): Promise<Map<BenchUser, (ChatEntry & { at: string })[]>> {
  const found = new Map<BenchUser, (ChatEntry & { at: string })[]>();
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < users.length; index = next++) {
      const user = users[index] as BenchUser;
      const response = await fetch(`${simulatorUrl}/sim/users/${user.phone}/messages?after=${user.lastSeq}`);
      const { messages } = (await response.json()) as { messages: (ChatEntry & { at: string })[] };
      user.lastSeq = messages.at(-1)?.seq ?? user.lastSeq;
      found.set(user, messages);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  return found;
}

export const replyText = (entry: ChatEntry) => Phone.text(entry);

/** The sockets' answers: a reply accepted, or why not. */
export type ReplyAnswer = { ok: true } | { ok: false; why: string };

export function replyAnswerOf(answer: ServerFrame | Error): ReplyAnswer {
  if (answer instanceof Error) return { ok: false, why: answer.message };
  if (answer.type === 'reply_accepted') return { ok: true };
  return { ok: false, why: JSON.stringify(answer).slice(0, 300) };
}

export type { BenchOperatorSocket };
