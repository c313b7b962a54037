import { templateCategories } from '@wa-broker/shared/message-templates';
import { metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import { z } from 'zod';
import { isBusinessScopedUserId } from '../domain/bsuid.js';

const phoneDigits = /^\d{5,20}$/;
/**
 * A user in a path: their phone number or their business-scoped user id. Nothing else: Meta never sends a `from`
 * such as `None`, so the simulator does not make one up.
 */
export const address = z
  .string()
  .refine(
    (value) => phoneDigits.test(value) || isBusinessScopedUserId(value),
    'a wa_id (a phone number in digits, country code first) or a business-scoped user id like US.13491208655302741918',
  );
const phone = z.string().regex(phoneDigits, 'a phone number in digits, country code first');
const bsuid = z
  .string()
  .refine(isBusinessScopedUserId, 'a business-scoped user id like US.13491208655302741918');
const profileName = z.string().min(1).max(80);

/** With `wa_id` the user shares their phone; without it they are username-only (a BSUID and a username). */
export const newUser = z
  .object({
    wa_id: phone.optional(),
    username: z.string().min(1).max(64).optional(),
    user_id: bsuid.optional(),
    country_code: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    name: profileName,
  })
  .refine((user) => user.wa_id || user.username || user.user_id, 'wa_id, username or user_id is required');

const context = { context_message_id: z.string().optional() };
export const userAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(4096), ...context }),
  z.object({
    type: z.enum(['list_reply', 'button_reply']),
    id: z.string().min(1),
    title: z.string().min(1),
    description: z.string().optional(),
    ...context,
  }),
  z.object({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    /** The place's name, never the user's. */
    name: z.string().optional(),
    address: z.string().optional(),
  }),
  /**
   * A file: `data_base64` (the bytes; without them the type's sample), `mime_type` (default the sample's, or the
   * bytes' magic number), `too_large` (Meta's 131052 instead of the file, whatever its size).
   */
  z.object({
    type: z.enum(metaMediaTypes),
    data_base64: z
      .string()
      .regex(/^[A-Za-z0-9+/=_\s-]*$/, 'base64')
      .optional(),
    mime_type: z.string().min(3).max(255).optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().min(1).max(240).optional(),
    voice: z.boolean().optional(),
    animated: z.boolean().optional(),
    too_large: z.boolean().optional(),
  }),
  z.object({ type: z.literal('reaction'), message_id: z.string().min(1), emoji: z.string().optional() }),
  z.object({ type: z.literal('unsupported') }),
]);

/** The business number a user writes to (or whose chat they act on); default: the first number. */
export const numberChoice = z.object({ phone_number_id: z.string().min(1).max(64).optional() });

/** `profile_name` renames the user; the older `name` still does, except on a location (the place's name). */
export const profileFields = z.object({ profile_name: profileName.optional(), name: z.string().optional() });

/** Meta's identity-change system messages (meta-2026-changes.md §1.2). */
/** What Meta shares about the user: `phone_hidden` stops sending the phone in webhooks (BSUID only). */
export const userSharing = z.strictObject({ phone_hidden: z.boolean() });

export const identityChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user_changed_number'), wa_id: phone }),
  z.object({ type: z.literal('user_changed_user_id'), user_id: bsuid.optional() }),
]);

export const faults = z.object({
  fail_next: z
    .array(z.object({ code: z.number().int(), count: z.number().int().min(1).max(10_000) }))
    .optional(),
  response_delay_ms: z.number().int().min(0).max(60_000).optional(),
  duplicate_rate: z.number().min(0).max(1).optional(),
  reorder: z.boolean().optional(),
  /** Above 0: webhook changes within this many ms share one POST (Meta batches only occasionally). */
  batch_window_ms: z.number().int().min(0).max(60_000).optional(),
  /** `sync`: a free-form send outside the window is refused with 400/131047 instead of a failed status. */
  window_error_mode: z.enum(['sync', 'async']).optional(),
});
export type Faults = z.infer<typeof faults>;

/** `POST /sim/templates/:id/status`: the lifecycle changes Meta makes on its own (review, pause, disable). */
export const templateStatusChange = z.strictObject({
  status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED']),
  reason: z.string().min(1).max(200).optional(),
});

/** `POST /sim/templates/:id/quality`: Meta's quality rating; RED pauses the template. */
export const templateQualityChange = z.strictObject({ score: z.enum(['GREEN', 'YELLOW', 'RED']) });

/** `POST /sim/templates/:id/category`: Meta re-categorises a template. */
export const templateCategoryChange = z.strictObject({ category: z.enum(templateCategories) });

/** `GET /sim/templates?waba_id=`: one WABA's templates, or every WABA's. */
export const templateListQuery = z.object({ waba_id: z.string().min(1).max(64).optional() });
