/** A user's query as a literal, case-insensitive pattern: `a.b` finds "a.b", never "axb". */
export function literalPattern(query: string): RegExp {
  return new RegExp(query.trim().replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'i');
}

/** A phone typed as people type them (`+55 11 9123-4567`): its digits, when it looks like one. */
export function phoneDigits(query: string): string | null {
  if (!/^[\d\s+().-]+$/.test(query.trim())) return null;
  const digits = query.replace(/\D/g, '');
  return digits.length >= 3 ? digits : null;
}

/** The text around the first match, at most ~`width` characters, with ellipses where it was cut. */
export function snippetAround(text: string, pattern: RegExp, width = 120): string {
  const match = pattern.exec(text);
  if (!match || text.length <= width) return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
  const room = Math.max(0, width - match[0].length);
  const start = Math.max(0, match.index - Math.floor(room / 2));
  const end = Math.min(text.length, start + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
