import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { GraphTemplates, TemplateChangePublisher, TemplateStore, WabaTokens } from './ports.js';
import {
  applyTemplateWebhook,
  diffSync,
  readTemplateWebhook,
  recordFromGraph,
  type TemplateChange,
} from './template.js';
import type { TemplateTurns } from './template-turns.js';

export interface TemplateSyncDeps {
  store: TemplateStore;
  publisher: TemplateChangePublisher;
  graph: GraphTemplates;
  tokens: WabaTokens;
  now: () => Date;
  /** Told of a WABA whose sync failed or was incomplete (it is retried next round) and of unreadable events. */
  onProblem: (problem: string, details: Record<string, unknown>) => void;
}

export interface SyncReport {
  wabaId: string;
  /** Every page read and every entry readable: only then may missing templates become DELETED. */
  complete: boolean;
  listed: number;
  changed: number;
}

/**
 * What Meta holds coming into the store (issue 19 §1): a WABA's listing synced, a template webhook applied, and
 * every stored template republished. Each change runs in its WABA's turn (`turns`).
 */
export function createTemplateSync(deps: TemplateSyncDeps, turns: TemplateTurns) {
  const { store } = deps;
  const { serially, announce } = turns;
  /** WABA → the sync a webhook for an unknown template asked for, while it has not started. */
  const requested = new Map<string, Promise<SyncReport>>();

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
