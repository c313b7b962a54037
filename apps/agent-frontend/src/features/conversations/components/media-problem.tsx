import type { MediaAvailability } from '../hooks/use-media-status.js';

const words: Record<Exclude<MediaAvailability, 'ok' | 'checking'>, string> = {
  gone: 'This file could not be downloaded.',
  missing: 'This file is not available.',
  expired: 'The link to this file has expired: reload the page.',
  unplayable: 'Your browser cannot show this file.',
  failed: 'This file could not be loaded.',
};

/** Whether a media element is worth showing: not once the server said why it cannot be. */
export const isShowable = (availability: MediaAvailability) =>
  availability === 'ok' || availability === 'checking';

/** Why a file cannot be shown, with a retry (and the download link when the browser, not the file, is the problem). */
export function MediaProblem({
  availability,
  label,
  href,
  onRetry,
}: {
  availability: Exclude<MediaAvailability, 'ok' | 'checking'>;
  label: string;
  href: string;
  onRetry: () => void;
}) {
  return (
    <div className="media-problem" data-testid="media-error" data-reason={availability}>
      <p>
        <span aria-hidden="true">⚠ </span>
        {label}: {words[availability]}
      </p>
      {availability === 'unplayable' ? (
        <a href={href} download>
          Download it instead
        </a>
      ) : (
        <button type="button" className="link" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
