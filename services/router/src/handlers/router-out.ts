import { userIdentity } from '@wa-broker/shared/agent-inbound';
import { z } from 'zod';
import type { GraphMessage } from '../domain/graph-message.js';

/** The router's own messages to a user (menu, notices), on the router-out topic; sent like an agent's. */
export const routerOutMessage = z.object({
  v: z.literal(1),
  waID: z.string().min(1),
  /** The number the user wrote to: the reply leaves from it. */
  phone_number_id: z.string().min(1).optional(),
  user: userIdentity,
  idempotency_key: z.string().min(1),
  body: z.custom<GraphMessage>((value) => typeof value === 'object' && value !== null && 'type' in value),
});
export type RouterOutMessage = z.infer<typeof routerOutMessage>;

/** The agent id used for the router's own sends (idempotency keys, metrics). */
export const routerSender = 'router';
