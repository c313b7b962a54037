import type { CannedReply } from '@wa-broker/shared/operator-protocol';

/** The `/shortcut` being typed at the end of the draft (at its start or after a space), else null. */
export function cannedQuery(text: string): string | null {
  const match = /(?:^|\s)(\/[a-z0-9_-]*)$/i.exec(text);
  return match?.[1]?.toLowerCase() ?? null;
}

/** The canned replies whose shortcut starts with what is typed, by shortcut. */
export function cannedMatches(replies: readonly CannedReply[], query: string | null): CannedReply[] {
  if (query === null) return [];
  return replies
    .filter((reply) => reply.shortcut.startsWith(query))
    .sort((a, b) => a.shortcut.localeCompare(b.shortcut));
}

/** The draft with the typed `/shortcut` replaced by the reply's text. */
export function insertCanned(text: string, reply: CannedReply): string {
  const query = cannedQuery(text);
  if (query === null) return text + reply.text;
  return text.slice(0, text.length - query.length) + reply.text;
}
