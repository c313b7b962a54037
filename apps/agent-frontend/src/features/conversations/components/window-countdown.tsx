import { replyDeadline } from '@wa-broker/shared/reply-window';
import { duration } from './format.js';

/**
 * How long free-form replies stay allowed: until the shared reply deadline (Meta's 24 h less the margin the
 * router keeps), then only templates. Once the session has ended nothing can be sent, so that is what it says.
 */
export function WindowCountdown({
  expiresAt,
  now,
  sessionEnded = false,
}: {
  expiresAt: string | null;
  now: Date;
  sessionEnded?: boolean;
}) {
  if (sessionEnded)
    return (
      <span className="window window-closed" data-testid="window">
        Session ended · no replies until the user chooses this agent again
      </span>
    );
  const deadline = replyDeadline(expiresAt);
  const left = deadline ? deadline.getTime() - now.getTime() : 0;
  if (left <= 0)
    return (
      <span className="window window-closed" data-testid="window">
        24 h window closed · templates only
      </span>
    );
  return (
    <span className={`window ${left < 3600_000 ? 'window-soon' : ''}`} data-testid="window">
      Window open · {duration(left)} left
    </span>
  );
}
