import type { CannedReply } from '@wa-broker/shared/operator-protocol';

export interface CannedSuggestionsProps {
  matches: CannedReply[];
  highlighted: number;
  onPick: (reply: CannedReply) => void;
}

/** The canned replies matching the `/shortcut` being typed; Enter or Tab inserts the highlighted one. */
export function CannedSuggestions({ matches, highlighted, onPick }: CannedSuggestionsProps) {
  if (matches.length === 0) return null;
  return (
    <ul className="canned-suggestions" aria-label="Canned replies" data-testid="canned-suggestions">
      {matches.map((reply, index) => (
        <li key={reply.id}>
          <button
            type="button"
            // The keyboard stays in the composer (arrows move, Enter or Tab inserts); a click inserts too.
            tabIndex={-1}
            className={index === highlighted ? 'is-highlighted' : ''}
            aria-current={index === highlighted ? 'true' : undefined}
            data-shortcut={reply.shortcut}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onPick(reply)}
          >
            <strong>{reply.shortcut}</strong> <span className="muted">{reply.text}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
