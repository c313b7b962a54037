/**
 * Topic names that cross process boundaries. The original broker's names are kept where its users depend on
 * them: `webhook` for raw Meta deliveries, `<agent>-in/-out/-error` per agent.
 */
export const defaultTopics = {
  /** One event per inbound message, status or error item, keyed by the user (user-identity.ts). */
  webhook: 'webhook',
  /** Non-message fields (template status, account updates, …) passed through whole. */
  businessEvents: 'webhook-business-events',
  /** Untouched raw deliveries with their signature, for replay (long retention). */
  rawEventLog: 'webhook-raw',
  /** Agent created/updated/deleted, compacted, keyed by agent id. */
  agentChanges: 'agent-changes',
  /** Business number created/updated/deleted, compacted, keyed by phone_number_id (business-numbers.ts). */
  numberChanges: 'number-changes',
  /** Message template synced/created/reviewed/deleted, compacted, keyed by `waba:name:language` (message-templates.ts). */
  templateChanges: 'template-changes',
  /** One record per send and per status with Meta's `pricing`, keyed by wamid (pricing.ts): the cost report's input. */
  messageCosts: 'message-costs',
} as const;

/** Kafka's own rule for topic names: 1–249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`. */
export const topicNamePattern = /^[a-zA-Z0-9._-]{1,249}$/;

export function isValidTopicName(name: string): boolean {
  return topicNamePattern.test(name) && name !== '.' && name !== '..';
}

/** `Sales Team` → `sales_team`; the base of an agent's default topic names. */
export function agentSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[^a-zA-Z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug.slice(0, 240) || 'agent';
}

export const agentInTopic = (slug: string): string => `${slug}-in`;
export const agentOutTopic = (slug: string): string => `${slug}-out`;
export const agentErrorTopic = (slug: string): string => `${slug}-error`;
