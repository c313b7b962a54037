import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { TemplateCatalog } from '../domain/ports.js';
import { approvedTemplates } from '../domain/template-check.js';

/**
 * Pushes a `templates` frame for every number of a WABA whose templates changed, so open pickers refresh.
 * Coalesced per WABA over `delayMs`: a sync announces a whole account at once, which is one push per number.
 */
export function templatePushes(deps: {
  catalog: TemplateCatalog & { numbersOf(wabaId: string): string[] };
  broadcast: (frame: ServerFrame) => void;
  delayMs?: number;
}) {
  const due = new Map<string, NodeJS.Timeout>();
  const push = (wabaId: string) => {
    due.delete(wabaId);
    for (const phoneNumberId of deps.catalog.numbersOf(wabaId)) {
      const { templates } = approvedTemplates(deps.catalog, phoneNumberId);
      deps.broadcast({ v: 1, type: 'templates', phone_number_id: phoneNumberId, waba_id: wabaId, templates });
    }
  };
  return {
    changed(wabaId: string) {
      if (!due.has(wabaId))
        due.set(
          wabaId,
          setTimeout(() => push(wabaId), deps.delayMs ?? 200),
        );
    },
    stop() {
      for (const timer of due.values()) clearTimeout(timer);
      due.clear();
    },
  };
}
