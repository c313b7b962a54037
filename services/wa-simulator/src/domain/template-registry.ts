import { createHash, randomBytes } from 'node:crypto';
import type {
  MessageTemplateRecord,
  ParameterFormat,
  TemplateCategory,
  TemplateComponentDefinition,
  TemplateQuality,
  TemplateStatus,
} from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';

/** A template as a seed or a create gives it (the body of `POST /{waba-id}/message_templates`). */
export interface TemplateDefinition {
  name: string;
  language: string;
  category: TemplateCategory;
  parameter_format?: ParameterFormat;
  components: TemplateComponentDefinition[];
}

/** A stored template: the shared record and its place in the WABA's list (what paging cursors point at). */
export interface StoredTemplate {
  seq: number;
  record: MessageTemplateRecord;
}

/** What can change after creation, through the review or the simulator's API. */
export type TemplatePatch = Partial<
  Pick<MessageTemplateRecord, 'status' | 'quality' | 'category' | 'reason'>
>;

/** Seeds keep their ids across restarts (a client that synced them keeps matching them); new ones are random. */
function seedId(wabaId: string, name: string, language: string): string {
  const digest = createHash('sha256').update(`${wabaId}:${name}:${language}`).digest();
  return String(100_000_000_000_000n + (digest.readBigUInt64BE(0) % 899_999_999_999_999n));
}

/** 16 digits, safe as a JSON number (Meta's webhooks carry template ids as numbers). */
const newTemplateId = () => String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));

/**
 * Every WABA's message templates, in memory like the rest of the simulator: one record per name and language
 * (Meta's `hsm_id`), in creation order. No clock of its own: callers give `now`.
 */
export class TemplateRegistry {
  private readonly byWaba = new Map<string, StoredTemplate[]>();
  private seq = 0;

  constructor(private readonly wabaIds: readonly string[]) {
    for (const waba of wabaIds) this.byWaba.set(waba, []);
  }

  hasWaba(wabaId: string): boolean {
    return this.byWaba.has(wabaId);
  }

  /** Forgets everything and puts the seeds, approved, in every WABA. */
  reset(seeds: readonly (TemplateDefinition & { status?: TemplateStatus })[], now: Date): void {
    for (const waba of this.wabaIds) {
      const list: StoredTemplate[] = [];
      this.byWaba.set(waba, list);
      for (const seed of seeds)
        list.push({
          seq: ++this.seq,
          record: this.recordOf(
            waba,
            seedId(waba, seed.name, seed.language),
            seed,
            seed.status ?? 'APPROVED',
            now,
          ),
        });
    }
  }

  /** Adds a PENDING template; undefined when that name already exists in that language. */
  create(wabaId: string, definition: TemplateDefinition, now: Date): MessageTemplateRecord | undefined {
    const list = this.byWaba.get(wabaId);
    if (!list) return undefined;
    if (list.some((t) => t.record.name === definition.name && t.record.language === definition.language))
      return undefined;
    let id = newTemplateId();
    while (this.find(id)) id = newTemplateId();
    const record = this.recordOf(wabaId, id, definition, 'PENDING', now);
    list.push({ seq: ++this.seq, record });
    return record;
  }

  /** The WABA's templates in creation order. */
  list(wabaId: string): readonly StoredTemplate[] {
    return this.byWaba.get(wabaId) ?? [];
  }

  /** Every language of a name in a WABA: what a send's check reads. */
  named(wabaId: string, name: string): MessageTemplateRecord[] {
    return this.list(wabaId)
      .filter((t) => t.record.name === name)
      .map((t) => t.record);
  }

  find(id: string): MessageTemplateRecord | undefined {
    for (const list of this.byWaba.values()) {
      const found = list.find((t) => t.record.id === id);
      if (found) return found.record;
    }
    return undefined;
  }

  all(wabaId?: string): MessageTemplateRecord[] {
    const lists = wabaId === undefined ? [...this.byWaba.values()] : [this.list(wabaId)];
    return lists.flat().map((t) => t.record);
  }

  /** Applies a change and gives the record before and after it; undefined for an unknown id. */
  update(
    id: string,
    patch: TemplatePatch,
    now: Date,
  ): { before: MessageTemplateRecord; after: MessageTemplateRecord } | undefined {
    for (const list of this.byWaba.values()) {
      const stored = list.find((t) => t.record.id === id);
      if (!stored) continue;
      const before = stored.record;
      stored.record = { ...before, ...patch, updated_at: now.toISOString() };
      return { before, after: stored.record };
    }
    return undefined;
  }

  /** Deletes every language of `name`, or with `hsmId` that one only; gives what was deleted. */
  delete(wabaId: string, name: string, hsmId?: string): MessageTemplateRecord[] {
    const list = this.byWaba.get(wabaId);
    if (!list) return [];
    const doomed = (t: StoredTemplate) =>
      t.record.name === name && (hsmId === undefined || t.record.id === hsmId);
    const deleted = list.filter(doomed).map((t) => t.record);
    this.byWaba.set(
      wabaId,
      list.filter((t) => !doomed(t)),
    );
    return deleted;
  }

  private recordOf(
    wabaId: string,
    id: string,
    definition: TemplateDefinition,
    status: TemplateStatus,
    now: Date,
  ): MessageTemplateRecord {
    const quality: TemplateQuality = status === 'APPROVED' ? 'GREEN' : 'UNKNOWN';
    return {
      id,
      waba_id: wabaId,
      name: definition.name,
      language: definition.language,
      category: definition.category,
      status,
      quality,
      reason: null,
      parameter_format: definition.parameter_format ?? 'POSITIONAL',
      components: definition.components,
      parameters: templateParameterSpec(definition.components),
      updated_at: now.toISOString(),
    };
  }
}
