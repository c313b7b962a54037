import { z } from 'zod';

/**
 * What sends cost (issue 19 §5; meta-2026-changes.md §1.3): Meta's per-message pricing (PMP) arrives on
 * statuses as `pricing: {pricing_model, category, type, billable?}`. Since 2026-10-01 service replies inside
 * the window are billed per message too; `type` tells what is free.
 */
export const pricingCategories = [
  'marketing',
  'marketing_lite',
  'utility',
  'authentication',
  'authentication_international',
  'service',
  'referral_conversion',
] as const;
export const pricingTypes = ['regular', 'free_customer_service', 'free_entry_point'] as const;

/** A status's `pricing`, loose: Meta adds fields and values (names kept as Meta spells them). */
export const messagePricing = z.looseObject({
  /** Deprecated by Meta (since v16), still sent by some versions; `type` decides. */
  billable: z.boolean().optional(),
  pricing_model: z.string(),
  category: z.string(),
  type: z.string().optional(),
});
export type MessagePricing = z.infer<typeof messagePricing>;

/**
 * Whether Meta bills the message: under PMP a `type` of `regular` is billed, the `free_*` types are not; before
 * `type` existed, the deprecated `billable` flag said it.
 */
export function isBillable(pricing: MessagePricing): boolean {
  if (pricing.type !== undefined) return pricing.type === 'regular';
  return pricing.billable ?? false;
}

/** Who made a send: an agent's code, an operator in the inbox, the notifications API, the router itself (menu). */
export const sendOrigins = ['agent', 'operator', 'notification', 'router'] as const;
export type SendOrigin = (typeof sendOrigins)[number];

/**
 * Router → cost report, on `message-costs` keyed by wamid: `sent` once Meta accepted a send (who made it, from
 * which number, what kind), `priced` for each status that carries `pricing`. The report joins them on wamid.
 */
export const messageCostEvent = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('sent'),
    wamid: z.string().min(1),
    phone_number_id: z.string().min(1),
    /** The agent (id as a string) whose `-out` carried it; null for notifications and the router's own. */
    agent_id: z.string().nullable(),
    origin: z.enum(sendOrigins),
    message_type: z.string(),
    template: z.object({ name: z.string(), language: z.string() }).optional(),
    sent_at: z.iso.datetime(),
  }),
  z.object({
    v: z.literal(1),
    kind: z.literal('priced'),
    wamid: z.string().min(1),
    phone_number_id: z.string().min(1),
    status: z.string(),
    pricing: messagePricing,
    /** Meta's timestamp of the status. */
    at: z.iso.datetime(),
  }),
]);
export type MessageCostEvent = z.infer<typeof messageCostEvent>;
