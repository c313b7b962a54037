import { duration } from './format.js';

/** How long free-form replies stay allowed; Meta only accepts templates after that. */
export function WindowCountdown({ expiresAt, now }: { expiresAt: string | null; now: Date }) {
  const left = expiresAt ? Date.parse(expiresAt) - now.getTime() : 0;
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
