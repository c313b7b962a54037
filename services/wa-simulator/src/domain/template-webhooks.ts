import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { WebhookChange } from './webhook-payloads.js';

/** The template's identity as every template webhook names it; Meta sends the id as a number. */
const identity = (template: MessageTemplateRecord) => ({
  message_template_id: Number(template.id),
  message_template_name: template.name,
  message_template_language: template.language,
});

/**
 * `message_template_status_update` (meta-2026-changes.md §1.8): `event` is the new status, `reason` Meta's
 * (`NONE` when it gives none), `message_template_category` the template's category.
 */
export function templateStatusChange(
  template: MessageTemplateRecord,
  otherInfo?: { title: string; description: string },
): WebhookChange {
  return {
    value: {
      event: template.status,
      ...identity(template),
      reason: template.reason ?? 'NONE',
      message_template_category: template.category,
      ...(otherInfo ? { other_info: otherInfo } : {}),
    },
    field: 'message_template_status_update',
  };
}

/** `message_template_quality_update`: the previous and the new quality score. */
export function templateQualityChange(
  before: MessageTemplateRecord,
  after: MessageTemplateRecord,
): WebhookChange {
  return {
    value: {
      previous_quality_score: before.quality,
      new_quality_score: after.quality,
      ...identity(after),
    },
    field: 'message_template_quality_update',
  };
}

/** `template_category_update`: Meta moved the template to another category. */
export function templateCategoryChange(
  before: MessageTemplateRecord,
  after: MessageTemplateRecord,
): WebhookChange {
  return {
    value: {
      ...identity(after),
      previous_category: before.category,
      new_category: after.category,
    },
    field: 'template_category_update',
  };
}
