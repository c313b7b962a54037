import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';

type Who = Pick<
  OperatorConversation,
  'wa_id' | 'name' | 'username' | 'phone' | 'phone_number_id' | 'display_phone_number'
>;

/**
 * How the inbox names a user: the profile name, else the username, else the phone; the key itself (a
 * business-scoped id, or a phone from an older backend) only when nothing else is known.
 */
export function userLabel(who: Who): string {
  if (who.name) return who.name;
  if (who.username) return `@${who.username}`;
  if (who.phone) return `+${who.phone}`;
  return /^\d+$/.test(who.wa_id) ? `+${who.wa_id}` : who.wa_id;
}

/** The details under the name: username, phone (when shared) and the business number written to. */
export function userDetails(who: Who): string {
  const phone = who.phone ?? (/^\d+$/.test(who.wa_id) ? who.wa_id : undefined);
  return [
    who.username ? `@${who.username}` : undefined,
    phone ? `+${phone}` : 'phone not shared',
    who.display_phone_number
      ? `to ${who.display_phone_number}`
      : who.phone_number_id
        ? `to number ${who.phone_number_id}`
        : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `14:05` today, `12 Jan` otherwise. */
export function shortTime(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (date.toDateString() === now.toDateString())
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

/** `23 h 04 min`, `12 min`, `45 s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${seconds} s`;
}

/** `512 B`, `12 KB`, `1.5 MB`: a file's size as people read it (1 KB = 1024 bytes, as Meta's limits). */
export function humanSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}
