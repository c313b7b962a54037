import { z } from 'zod';
import type { KnownAgent } from '../adapters/agent-directory.js';
import { conversationEventKinds } from '../domain/conversation-event.js';
import type { ConversationSummary, StoredConversationEvent } from '../domain/conversation-ports.js';
import { conversationStates } from '../domain/conversation-state.js';

const agentRef = z
  .object({ id: z.string(), name: z.string().nullable() })
  .nullable()
  .meta({ description: 'The agent (name from agent-changes; null if unknown)' });

export const conversationDto = z.object({
  user: z.string().meta({ description: 'The user’s wa_id (or business-scoped user_id)' }),
  user_name: z.string().nullable(),
  state: z.enum(conversationStates).meta({ description: 'menu: choosing; agent: with an agent; ended' }),
  agent: agentRef,
  events: z.number().int(),
  first_activity_at: z.string(),
  last_activity_at: z.string(),
});

export const conversationEventDto = z.object({
  event_id: z.string().meta({ description: 'Unique per fact: in:<wamid>, status:<wamid>:<status>, …' }),
  seq: z.number().int().meta({ description: 'Arrival order at the log; breaks ties of observed_at' }),
  kind: z.enum(conversationEventKinds),
  occurred_at: z.string().meta({ description: 'Meta’s timestamp (whole seconds); ours cut to the second' }),
  observed_at: z.string().meta({
    description:
      'When the broker saw it (ms): the webhook’s receipt, the router’s or agent’s clock; the log order',
  }),
  agent: agentRef,
  wamid: z.string().nullable(),
  type: z.string().meta({ description: 'Message type, status name or session reason' }),
  text: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  source: z.string().meta({ description: 'The topic it was read from' }),
});

export const conversationDetailDto = conversationDto.extend({ event_log: z.array(conversationEventDto) });

type Agents = { get(id: string): KnownAgent | undefined };
const toAgentRef = (agents: Agents, id: string | null) =>
  id === null ? null : { id, name: agents.get(id)?.name ?? null };

export const toConversationDto = (
  agents: Agents,
  c: ConversationSummary,
): z.infer<typeof conversationDto> => ({
  user: c.userKey,
  user_name: c.userName,
  state: c.state,
  agent: toAgentRef(agents, c.agent),
  events: c.events,
  first_activity_at: c.firstActivityAt.toISOString(),
  last_activity_at: c.lastActivityAt.toISOString(),
});

export const toConversationEventDto = (
  agents: Agents,
  e: StoredConversationEvent,
): z.infer<typeof conversationEventDto> => ({
  event_id: e.eventId,
  seq: e.seq,
  kind: e.kind,
  occurred_at: e.occurredAt.toISOString(),
  observed_at: e.observedAt.toISOString(),
  agent: toAgentRef(agents, e.agent),
  wamid: e.wamid,
  type: e.type,
  text: e.text,
  detail: e.detail,
  source: e.source,
});
