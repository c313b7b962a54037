import { notificationError, recipientStatuses } from '@wa-broker/shared/notifications';
import { z } from 'zod';
import type { NotificationDetail, NotificationSummary, RecipientView } from '../domain/ports.js';

const counts = z.object(
  Object.fromEntries([...recipientStatuses, 'total'].map((s) => [s, z.number().int()])),
);

export const notificationStates = ['scheduled', 'sending', 'completed', 'cancelled'] as const;

export const recipientDto = z.object({
  id: z.string(),
  to: z.string(),
  status: z.enum(recipientStatuses),
  attempt: z.number().int().meta({ description: 'Grows with each resend' }),
  wamid: z.string().nullable(),
  error: notificationError.nullable().meta({ description: 'Meta’s code and title when failed' }),
  status_at: z.string(),
});

export const summaryDto = z.object({
  id: z.string(),
  idempotency_key: z.string().nullable(),
  template: z.object({ name: z.string(), language: z.string() }),
  state: z.enum(notificationStates),
  send_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  created_at: z.string(),
  counts: counts.meta({ description: 'Recipients per status' }),
});

export const detailDto = summaryDto.extend({ recipients: z.array(recipientDto) });

export const errorBody = z.object({
  error: z.string().meta({ description: 'Machine-readable code, e.g. notification_not_found' }),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

const toRecipientDto = (r: RecipientView): z.infer<typeof recipientDto> => ({
  id: r.id,
  to: r.to,
  status: r.status,
  attempt: r.attempt,
  wamid: r.wamid,
  error: r.error,
  status_at: r.statusAt.toISOString(),
});

export function toSummaryDto(n: NotificationSummary): z.infer<typeof summaryDto> {
  return {
    id: n.id,
    idempotency_key: n.idempotencyKey,
    template: { name: n.templateName, language: n.language },
    state: n.state ?? 'sending',
    send_at: iso(n.sendAt),
    cancelled_at: iso(n.cancelledAt),
    created_at: n.createdAt.toISOString(),
    counts: n.counts,
  };
}

export const toDetailDto = (n: NotificationDetail): z.infer<typeof detailDto> => ({
  ...toSummaryDto(n),
  recipients: n.recipients.map(toRecipientDto),
});
