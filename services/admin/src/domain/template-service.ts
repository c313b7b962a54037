import { DomainError } from '@wa-broker/shared/errors';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { type AdminErrorCode, invalidTemplate, templateNotFound, wabaNotFound } from './errors.js';
import {
  definitionProblems,
  type HeaderSampleFile,
  type HeaderSampleUploads,
  planHeaderSample,
  withHeaderHandle,
} from './header-media.js';
import type {
  GraphResult,
  GraphTemplates,
  TemplateChangePublisher,
  TemplateQuery,
  TemplateStore,
  WabaTokens,
} from './ports.js';
import {
  applyTemplateWebhook,
  createdRecord,
  diffSync,
  type GraphFailure,
  graphFailureKind,
  type NewTemplate,
  readTemplateWebhook,
  recordFromGraph,
  type TemplateChange,
} from './template.js';

export interface TemplateServiceDeps {
  store: TemplateStore;
  publisher: TemplateChangePublisher;
  graph: GraphTemplates;
  tokens: WabaTokens;
  /** Meta's Resumable Upload API, for a media header's sample given as a file. */
  uploads?: HeaderSampleUploads;
  now: () => Date;
  /** Told when a stored change could not be announced, so a republish of every template can follow. */
  onPublishFailed: (error: unknown, templates: readonly MessageTemplateRecord[]) => void;
  /** Told of a WABA whose sync failed or was incomplete (it is retried next round) and of unreadable events. */
  onProblem: (problem: string, details: Record<string, unknown>) => void;
}

export type TemplateService = ReturnType<typeof createTemplateService>;

export interface SyncReport {
  wabaId: string;
  /** Every page read and every entry readable: only then may missing templates become DELETED. */
  complete: boolean;
  listed: number;
  changed: number;
}

/**
 * The template store's use cases (issue 19 §1–2). Every change to a WABA's templates (sync, webhook, create,
 * delete) runs one at a time per WABA, so a listing read before a webhook cannot overwrite what the webhook set
 * after it. Each change is stored, then published (full state, keyed by `templateKey`).
 */
export function createTemplateService(deps: TemplateServiceDeps) {
  const { store } = deps;
  const queues = new Map<string, Promise<unknown>>();
  /** WABA → the sync a webhook for an unknown template asked for, while it has not started. */
  const requested = new Map<string, Promise<SyncReport>>();

  function serially<T>(wabaId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(wabaId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(wabaId, settled);
    void settled.then(() => {
      if (queues.get(wabaId) === settled) queues.delete(wabaId);
    });
    return next;
  }

  async function announce(changes: readonly TemplateChange[]): Promise<void> {
    if (changes.length === 0) return;
    try {
      await deps.publisher.publish(changes, deps.now());
    } catch (error) {
      const templates = changes.map((change) => change.template);
      deps.onPublishFailed(error, templates);
      const first = templates[0] as MessageTemplateRecord;
      throw new DomainError<AdminErrorCode>(
        'change_not_published',
        `template ${first.name} (${first.language}) was saved but its change event could not be published; it will be republished`,
        { waba_id: first.waba_id, name: first.name, language: first.language },
      );
    }
  }

  async function requireToken(wabaId: string): Promise<string> {
    const token = await deps.tokens.tokenFor(wabaId);
    if (!token) throw wabaNotFound(wabaId);
    return token;
  }

  function graphError(failure: GraphFailure, action: string): DomainError<AdminErrorCode> {
    const kind = graphFailureKind(failure);
    const meta = {
      ...(failure.httpStatus ? { meta_http_status: failure.httpStatus } : {}),
      ...(failure.code !== undefined ? { meta_code: failure.code } : {}),
      ...(failure.subcode !== undefined ? { meta_subcode: failure.subcode } : {}),
    };
    if (kind === 'rate_limited')
      return new DomainError('graph_rate_limited', `Meta's rate limit: ${failure.message}`, meta);
    if (kind === 'refused')
      return new DomainError('template_refused', `Meta refused to ${action}: ${failure.message}`, meta);
    return new DomainError(
      'graph_unavailable',
      `the Graph API could not ${action}: ${failure.message}`,
      meta,
    );
  }

  function unwrap<T>(result: GraphResult<T>, action: string): T {
    if (!result.ok) throw graphError(result.failure, action);
    return result.value;
  }

  async function syncNow(wabaId: string): Promise<SyncReport> {
    const token = await deps.tokens.tokenFor(wabaId);
    if (!token) {
      deps.onProblem('no usable token for the WABA: templates not synced', { waba_id: wabaId });
      return { wabaId, complete: false, listed: 0, changed: 0 };
    }
    const listing = await deps.graph.list(wabaId, token);
    if (!listing.ok) {
      deps.onProblem('template listing failed: retried next round, nothing deleted', {
        waba_id: wabaId,
        meta_http_status: listing.failure.httpStatus,
        meta_code: listing.failure.code,
        message: listing.failure.message,
      });
      return { wabaId, complete: false, listed: 0, changed: 0 };
    }
    const now = deps.now();
    const listed: MessageTemplateRecord[] = [];
    let complete = true;
    for (const entry of listing.value) {
      const read = recordFromGraph(wabaId, entry, now);
      if (read.ok) listed.push(read.template);
      else {
        complete = false;
        deps.onProblem('unreadable template in the listing: skipped, nothing deleted this round', {
          waba_id: wabaId,
          problem: read.problem,
        });
      }
    }
    const changed = diffSync(await store.list({ wabaId }), listed, complete, now);
    await store.upsert(changed);
    await announce(changed.map((template) => ({ type: 'synced' as const, template })));
    return { wabaId, complete, listed: listed.length, changed: changed.length };
  }

  function syncWaba(wabaId: string): Promise<SyncReport> {
    return serially(wabaId, () => syncNow(wabaId));
  }

  /** A sync asked for by an event naming an unknown template; joins one already asked for and not started. */
  function requestSync(wabaId: string): Promise<SyncReport> {
    const pending = requested.get(wabaId);
    if (pending) return pending;
    const sync = serially(wabaId, () => {
      requested.delete(wabaId);
      return syncNow(wabaId);
    });
    requested.set(wabaId, sync);
    return sync;
  }

  return {
    list: (query: TemplateQuery) => store.list(query),

    /** Every language of one template name (deleted ones too); 404 when none is stored. */
    async byName(wabaId: string, name: string): Promise<MessageTemplateRecord[]> {
      const templates = await store.list({ wabaId, name });
      if (templates.length === 0) throw templateNotFound(wabaId, name);
      return templates;
    },

    syncWaba,

    /** Syncs every WABA of the active numbers, one after the other; a failed one is retried next round. */
    async syncAll(): Promise<SyncReport[]> {
      const reports: SyncReport[] = [];
      for (const wabaId of await deps.tokens.wabaIds()) {
        try {
          reports.push(await syncWaba(wabaId));
        } catch (error) {
          deps.onProblem('template sync failed: retried next round', {
            waba_id: wabaId,
            error: error instanceof Error ? error.message : String(error),
          });
          reports.push({ wabaId, complete: false, listed: 0, changed: 0 });
        }
      }
      return reports;
    },

    /**
     * Applies one business event from the webhook service: a template status, quality or category update of a
     * stored template is stored and published at once; one naming an unknown template syncs its WABA. Other
     * fields are ignored. Resolves once the change is stored and published.
     */
    async applyBusinessEvent(event: {
      field: string;
      waba_id: string | null;
      value: unknown;
    }): Promise<TemplateChange | 'ignored' | 'synced'> {
      const webhook = readTemplateWebhook(event.field, event.value);
      if (!webhook) return 'ignored';
      if ('problem' in webhook) {
        deps.onProblem('unreadable template webhook skipped', {
          field: event.field,
          problem: webhook.problem,
        });
        return 'ignored';
      }
      const known = await store.byId(webhook.templateId);
      const wabaId = known?.waba_id ?? event.waba_id;
      if (!wabaId) {
        deps.onProblem('template webhook for an unknown template without a WABA id skipped', {
          field: event.field,
          message_template_id: webhook.templateId,
        });
        return 'ignored';
      }
      if (!known) {
        await requestSync(wabaId);
        return 'synced';
      }
      return serially(wabaId, async () => {
        // Read again inside the WABA's turn: a sync may have changed it meanwhile.
        const current = await store.byId(webhook.templateId);
        if (!current) return 'ignored' as const;
        const change = applyTemplateWebhook(current, webhook, deps.now());
        if (!change) return 'ignored' as const;
        await store.upsert([change.template]);
        await announce([change]);
        return change;
      });
    },

    /**
     * Checks the definition against Meta's rules (nothing is submitted when one fails), submits it, then stores
     * and publishes the template Meta accepted (usually PENDING until its review). A media header's sample given
     * as a file (`headerMedia`) is checked with Meta's media rules for the header's format, then uploaded through
     * the Resumable Upload API, its handle becoming the header's `example.header_handle`.
     */
    async create(input: NewTemplate, headerMedia?: HeaderSampleFile): Promise<MessageTemplateRecord> {
      const plan = headerMedia ? planHeaderSample(input.components, headerMedia) : undefined;
      // Checked with a stand-in handle first: a definition Meta would refuse uploads nothing.
      const problems = definitionProblems(input, plan);
      if (problems.length > 0) throw invalidTemplate(problems);
      const token = await requireToken(input.wabaId);
      let submitted = input;
      if (plan?.ok && headerMedia) {
        if (!deps.uploads)
          throw new DomainError<AdminErrorCode>(
            'graph_unavailable',
            'header sample uploads are not configured',
          );
        const handle = unwrap(await deps.uploads.upload(token, headerMedia), 'upload the header sample');
        submitted = { ...input, components: withHeaderHandle(input.components, plan.index, handle) };
        const withHandle = definitionProblems(submitted);
        if (withHandle.length > 0) throw invalidTemplate(withHandle);
      }
      return serially(input.wabaId, async () => {
        const accepted = unwrap(
          await deps.graph.create(input.wabaId, token, submitted),
          `create template ${input.name}`,
        );
        const template = createdRecord(submitted, accepted, deps.now());
        await store.upsert([template]);
        await announce([{ type: 'created', template }]);
        return template;
      });
    },

    /**
     * Deletes one language's template (`language`) or every language of the name at Meta, then marks them
     * DELETED and publishes them. 404 when the store has no such template that is not deleted already.
     */
    async remove(wabaId: string, name: string, language?: string): Promise<MessageTemplateRecord[]> {
      const token = await requireToken(wabaId);
      return serially(wabaId, async () => {
        const live = (await store.list({ wabaId, name, ...(language ? { language } : {}) })).filter(
          (template) => template.status !== 'DELETED',
        );
        if (live.length === 0) throw templateNotFound(wabaId, name, language);
        unwrap(
          await deps.graph.remove(wabaId, token, name, language ? live[0]?.id : undefined),
          `delete template ${name}`,
        );
        const now = deps.now().toISOString();
        const deleted = live.map((template) => ({
          ...template,
          status: 'DELETED' as const,
          updated_at: now,
        }));
        await store.upsert(deleted);
        await announce(deleted.map((template) => ({ type: 'deleted' as const, template })));
        return deleted;
      });
    },

    /** Republishes every stored template (start, and after a failed publish). */
    async republishAll(): Promise<number> {
      const templates = await store.list({});
      if (templates.length > 0)
        await deps.publisher.publish(
          templates.map((template) => ({ type: 'synced' as const, template })),
          deps.now(),
        );
      return templates.length;
    },
  };
}
