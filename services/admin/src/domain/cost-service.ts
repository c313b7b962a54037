import type { MessageCostEvent } from '@wa-broker/shared/pricing';
import {
  type CostCounts,
  type CostReportRow,
  costCounts,
  costPeriod,
  costTotals,
  foldCostEvent,
} from './message-cost.js';
import type { CostQuery, CostStore } from './ports.js';

export interface CostServiceDeps {
  store: CostStore;
  now: () => Date;
  /** Told once per wamid when it first counts as sent, or as billable (after the change is committed). */
  onCounted: (counts: CostCounts) => void;
}

export type CostService = ReturnType<typeof createCostService>;

export interface CostReportQuery {
  from?: string | undefined;
  to?: string | undefined;
  agentId?: string | undefined;
  origin?: CostQuery['origin'] | undefined;
  category?: string | undefined;
}

/** The cost report's use cases (issue 19 §5): fold each `message-costs` record into its wamid's row; report. */
export function createCostService(deps: CostServiceDeps) {
  return {
    /**
     * Folds a consumed batch's records into their wamids' rows, in order, in one transaction (one round of
     * statements per batch, not per record). Counted on the batch's net change per wamid, after the commit.
     */
    async record(events: readonly MessageCostEvent[]): Promise<void> {
      const now = deps.now();
      const byWamid = new Map<string, MessageCostEvent[]>();
      for (const event of events) byWamid.set(event.wamid, [...(byWamid.get(event.wamid) ?? []), event]);
      const changed = await deps.store.updateAll([...byWamid.keys()], (wamid, row) => {
        let folded = row;
        for (const event of byWamid.get(wamid) ?? []) folded = foldCostEvent(folded, event, now);
        if (folded === null) throw new Error(`no cost record for ${wamid}`); // every wamid has one or more
        return folded;
      });
      for (const { before, after } of changed) {
        if (after === before) continue;
        const counts = costCounts(before, after);
        if (counts.sent || counts.billable) deps.onCounted(counts);
      }
    },

    /** Throws `invalid_request` (by field) for bad dates; the current month when neither is given. */
    async report(query: CostReportQuery): Promise<{
      from: string;
      to: string;
      data: CostReportRow[];
      totals: { messages: number; billable_messages: number };
    }> {
      const period = costPeriod(query, deps.now());
      const data = await deps.store.report({
        start: period.start,
        end: period.end,
        ...(query.agentId === undefined ? {} : { agentId: query.agentId }),
        ...(query.origin === undefined ? {} : { origin: query.origin }),
        ...(query.category === undefined ? {} : { category: query.category }),
      });
      return { from: period.from, to: period.to, data, totals: costTotals(data) };
    },
  };
}
