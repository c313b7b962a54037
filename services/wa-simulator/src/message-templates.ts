import type { Logger } from '@wa-broker/shared/logger';
import type {
  MessageTemplateRecord,
  TemplateCategory,
  TemplateComponentDefinition,
  TemplateQuality,
  TemplateStatus,
} from '@wa-broker/shared/message-templates';
import { parameterFormats, templateComponentDefinition } from '@wa-broker/shared/message-templates';
import { checkTemplateDefinition } from '@wa-broker/shared/template-definition-rules';
import { z } from 'zod';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';
import { type TemplatePatch, TemplateRegistry } from './domain/template-registry.js';
import type { TemplateSeed } from './domain/template-seeds.js';
import { checkTemplateSendAtMeta, type TemplateSendCheck } from './domain/template-send.js';
import {
  templateCategoryChange,
  templateQualityChange,
  templateStatusChange,
} from './domain/template-webhooks.js';
import type { WebhookChange } from './domain/webhook-payloads.js';
import { headerMediaTypes, type ResumableUploads } from './resumable-uploads.js';

/** The body of `POST /{waba-id}/message_templates`, loose as Graph is about fields it does not use. */
const createBody = z.looseObject({
  name: z.string(),
  language: z.string(),
  category: z.string(),
  parameter_format: z.enum(parameterFormats).optional(),
  components: z.array(templateComponentDefinition),
});

export type TemplateOutcome = { ok: true; template: MessageTemplateRecord } | { ok: false; error: MetaError };

export interface MessageTemplatesSettings {
  wabaIds: readonly string[];
  seeds: readonly TemplateSeed[];
  /** How long a created template stays PENDING. */
  reviewMs: number;
  /** The Resumable Upload API's handles: a media header's `example.header_handle` must name one. */
  headerSamples?: Pick<ResumableUploads, 'problemWith'>;
}

/** Templates whose name starts with this are rejected by the simulated review (README: "Templates"). */
export const rejectPrefix = 'reject_';

/**
 * Meta's template management as the simulator plays it: every WABA's templates (seeded), creation with Meta's
 * definition checks, a review that approves (or rejects `reject_…`) after `reviewMs`, lifecycle changes, and
 * each change's webhook to the WABA's one webhook URL.
 */
export class MessageTemplates {
  readonly registry: TemplateRegistry;
  private readonly reviews = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly settings: MessageTemplatesSettings,
    private readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.registry = new TemplateRegistry(settings.wabaIds);
    this.registry.reset(settings.seeds, now());
  }

  create(wabaId: string, body: unknown): TemplateOutcome {
    const parsed = createBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      return { ok: false, error: invalidDefinition(field, `${field}: ${issue?.message ?? 'invalid'}`) };
    }
    const problems = checkTemplateDefinition(parsed.data);
    const first = problems[0];
    if (first)
      return {
        ok: false,
        error: invalidDefinition(
          first.field,
          problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        ),
      };
    const sampleProblem = this.headerSampleProblem(parsed.data.components);
    if (sampleProblem) return { ok: false, error: sampleProblem };
    const definition = { ...parsed.data, category: parsed.data.category as TemplateCategory };
    const template = this.registry.create(wabaId, definition, this.now());
    if (!template)
      return {
        ok: false,
        error: metaErrors.templateManagement(
          'Content in This Language Already Exists',
          `There is already ${definition.language} content for the template ${definition.name}. Create a new template and try again.`,
          2388024,
        ),
      };
    this.scheduleReview(template);
    this.logger.info({ waba_id: wabaId, template_id: template.id, name: template.name }, 'template created');
    return { ok: true, template };
  }

  /** Deletes by name (every language) or by name and `hsm_id`; 100 when nothing matches. */
  delete(wabaId: string, name: string | undefined, hsmId: string | undefined): MetaError | undefined {
    if (!name)
      return metaErrors.templateManagement('Missing Template Name', 'The parameter name is required.');
    const deleted = this.registry.delete(wabaId, name, hsmId);
    for (const template of deleted) this.cancelReview(template.id);
    if (deleted.length > 0) return undefined;
    return metaErrors.templateManagement(
      'Message Template Not Found',
      hsmId
        ? `No message template ${name} with hsm_id ${hsmId} was found on this WhatsApp Business Account.`
        : `No message template named ${name} was found on this WhatsApp Business Account.`,
    );
  }

  /** What `POST /{phone-number-id}/messages` with `type: template` is checked against: the number's WABA. */
  checkSend(wabaId: string, payload: Record<string, unknown>): TemplateSendCheck {
    return checkTemplateSendAtMeta(payload, this.registry.named(wabaId, String(payload.name)));
  }

  setStatus(id: string, status: TemplateStatus, reason?: string): MessageTemplateRecord | undefined {
    this.cancelReview(id);
    return this.change(id, { status, reason: reason ?? null }, (_, after) => templateStatusChange(after));
  }

  /** A quality change; RED pauses the template as Meta does (with its own status webhook). */
  setQuality(id: string, quality: TemplateQuality): MessageTemplateRecord | undefined {
    const changed = this.change(id, { quality }, templateQualityChange);
    if (changed && quality === 'RED' && changed.status === 'APPROVED')
      return this.change(id, { status: 'PAUSED', reason: null }, (_, after) =>
        templateStatusChange(after, {
          title: 'FIRST_PAUSE',
          description: 'Your message template has been paused because its quality rating dropped to low.',
        }),
      );
    return changed;
  }

  setCategory(id: string, category: TemplateCategory): MessageTemplateRecord | undefined {
    return this.change(id, { category }, templateCategoryChange);
  }

  /** Every WABA back to the seeds; no review pending. */
  reset(): void {
    for (const id of [...this.reviews.keys()]) this.cancelReview(id);
    this.registry.reset(this.settings.seeds, this.now());
  }

  close(): void {
    for (const id of [...this.reviews.keys()]) this.cancelReview(id);
  }

  idle(): boolean {
    return this.reviews.size === 0;
  }

  /** A media header's sample must be a file uploaded here, of a type the header's format takes. */
  private headerSampleProblem(components: readonly TemplateComponentDefinition[]): MetaError | undefined {
    const samples = this.settings.headerSamples;
    if (!samples) return undefined;
    for (const [index, component] of components.entries()) {
      const format = component.format;
      if (component.type !== 'HEADER' || !format || !(format in headerMediaTypes)) continue;
      const handles = component.example?.header_handle;
      for (const handle of Array.isArray(handles) ? handles : [handles]) {
        const problem = samples.problemWith(format as keyof typeof headerMediaTypes, handle);
        const field = `components[${index}].example.header_handle`;
        if (problem) return invalidDefinition(field, `${field}: ${problem}`);
      }
    }
    return undefined;
  }

  private change(
    id: string,
    patch: TemplatePatch,
    webhook: (before: MessageTemplateRecord, after: MessageTemplateRecord) => WebhookChange,
  ): MessageTemplateRecord | undefined {
    const changed = this.registry.update(id, patch, this.now());
    if (!changed) return undefined;
    this.delivery.enqueue({ wabaId: changed.after.waba_id, change: webhook(changed.before, changed.after) });
    this.logger.info(
      { template_id: id, status: changed.after.status, quality: changed.after.quality },
      'template changed',
    );
    return changed.after;
  }

  /** Meta's review, simulated: approved after `reviewMs`, or rejected when the name says so. */
  private scheduleReview(template: MessageTemplateRecord): void {
    const timer = setTimeout(() => {
      this.reviews.delete(template.id);
      if (this.registry.find(template.id)?.status !== 'PENDING') return;
      if (template.name.startsWith(rejectPrefix)) this.setStatus(template.id, 'REJECTED', 'INVALID_FORMAT');
      else this.setStatus(template.id, 'APPROVED');
    }, this.settings.reviewMs);
    this.reviews.set(template.id, timer);
  }

  private cancelReview(id: string): void {
    clearTimeout(this.reviews.get(id));
    this.reviews.delete(id);
  }
}

function invalidDefinition(field: string, message: string): MetaError {
  return metaErrors.templateManagement(`Invalid parameter: ${field}`, message);
}
