import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { isAbout } from './agent-bus.js';
import { type ChatEntry, Phone } from './phone.js';

/** One message a simulated user sent during the load. */
export interface SentMessage {
  waId: string;
  index: number;
  wamid: string;
}

/** Every count a fault test asserts on and the report shows. */
export interface Tally {
  sent: number;
  /** Distinct sent wamids the agent got. */
  reachedAgent: number;
  lostToAgent: number;
  /** Agent events for a wamid it had already been given (the scenario replaces it by copies in the topic). */
  duplicatedToAgent: number;
  /** Distinct `echo` replies the users received. */
  repliesReceived: number;
  lostReplies: number;
  /** Replies the simulator accepted more than once (distinct wamids, same text). */
  duplicateSends: number;
  /** Messages that reached the agent, or replies the user, after a later one of the same user. */
  orderViolationsAgent: number;
  orderViolationsUser: number;
  /** Received replies whose delivered/read status came back to the agent. */
  statusesBack: number;
  statusesMissing: number;
  /** Events on the agent's error topic (send_failed, window_closed, …) during the scenario. */
  agentErrors: number;
}

/** What a fault must not cost: no message lost or doubled either way, every status back, no agent error. */
export const zeroLoss = {
  lostToAgent: 0,
  duplicatedToAgent: 0,
  lostReplies: 0,
  duplicateSends: 0,
  statusesMissing: 0,
  agentErrors: 0,
} satisfies Partial<Tally>;

const indexOf = (text: string) => Number(text.split(' ').at(-1));

function outOfOrder(indexes: readonly number[]): number {
  let highest = -1;
  let violations = 0;
  for (const index of indexes) {
    if (index < highest) violations += 1;
    highest = Math.max(highest, index);
  }
  return violations;
}

/** Counts what happened to each sent message: pure, from the agent's events and each user's chat. */
export function tally(
  sent: readonly SentMessage[],
  agentEvents: readonly AgentInboundEvent[],
  chats: ReadonlyMap<string, readonly ChatEntry[]>,
  agentErrors = 0,
): Tally {
  const sentWamids = new Set(sent.map((message) => message.wamid));
  const loadEvents = agentEvents.filter(
    (event) => event.type === 'text' && sentWamids.has(event.wamid ?? ''),
  );
  const seen = new Set<string>();
  let duplicatedToAgent = 0;
  for (const event of loadEvents) {
    if (seen.has(event.wamid ?? '')) duplicatedToAgent += 1;
    seen.add(event.wamid ?? '');
  }
  const statusByWamid = new Set(
    agentEvents
      .filter((event) => event.status?.status === 'delivered' || event.status?.status === 'read')
      .map((event) => event.status?.wamid),
  );
  const users = [...new Set(sent.map((message) => message.waId))];
  let repliesReceived = 0;
  let duplicateSends = 0;
  let orderViolationsAgent = 0;
  let orderViolationsUser = 0;
  let statusesBack = 0;
  for (const waId of users) {
    const replies = (chats.get(waId) ?? []).filter(
      (entry) => entry.direction === 'out' && Phone.text(entry).startsWith(`echo load ${waId} `),
    );
    const texts = new Set(replies.map((entry) => Phone.text(entry)));
    repliesReceived += texts.size;
    duplicateSends += replies.length - texts.size;
    statusesBack += replies.filter((entry) => statusByWamid.has(entry.wamid)).length;
    orderViolationsUser += outOfOrder(replies.map((entry) => indexOf(Phone.text(entry))));
    const firstSeen = new Set<string>();
    const agentOrder = loadEvents
      .filter(
        (event) =>
          isAbout(event, waId) && !firstSeen.has(event.wamid ?? '') && firstSeen.add(event.wamid ?? ''),
      )
      .map((event) => indexOf(event.text));
    orderViolationsAgent += outOfOrder(agentOrder);
  }
  return {
    sent: sent.length,
    reachedAgent: seen.size,
    lostToAgent: sent.length - seen.size,
    duplicatedToAgent,
    repliesReceived,
    lostReplies: sent.length - repliesReceived,
    duplicateSends,
    orderViolationsAgent,
    orderViolationsUser,
    statusesBack,
    statusesMissing: repliesReceived + duplicateSends - statusesBack,
    agentErrors,
  };
}
