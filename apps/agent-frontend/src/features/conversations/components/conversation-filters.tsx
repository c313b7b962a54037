import type { ConversationStatus } from '@wa-broker/shared/operator-protocol';
import type { AssigneeFilter, ConversationFilter } from '../hooks/conversation-filter.js';

const tabs: { value: AssigneeFilter; label: string }[] = [
  { value: 'queue', label: 'Queue' },
  { value: 'mine', label: 'Mine' },
  { value: 'all', label: 'All' },
];

export interface ConversationFiltersProps {
  filter: ConversationFilter;
  onChange: (filter: ConversationFilter) => void;
  /** Open conversations waiting in the queue (the Queue tab's count). */
  queued: number;
}

/** Queue (unassigned) / Mine / All, and open or resolved. */
export function ConversationFilters({ filter, onChange, queued }: ConversationFiltersProps) {
  return (
    <div className="filters">
      <div className="modes" role="tablist" aria-label="Show">
        {tabs.map(({ value, label }) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={filter.assignee === value}
            onClick={() => onChange({ ...filter, assignee: value })}
          >
            {label}
            {value === 'queue' && queued > 0 ? ` (${queued})` : ''}
          </button>
        ))}
      </div>
      <label className="status-filter">
        <span className="sr-only">Status</span>
        <select
          aria-label="Status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as ConversationStatus })}
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </select>
      </label>
    </div>
  );
}
