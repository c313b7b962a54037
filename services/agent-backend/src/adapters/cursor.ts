/** History and list pages continue before `<ISO time>|<id>`: a time alone is not unique. */
export function encodeCursor(at: Date, id: string): string {
  return `${at.toISOString()}|${id}`;
}

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const split = cursor.indexOf('|');
  const at = new Date(cursor.slice(0, split));
  if (split < 0 || Number.isNaN(at.getTime())) return undefined;
  return { at, id: cursor.slice(split + 1) };
}

/** Documents strictly older than the cursor in `(field desc, _id desc)` order. */
export function olderThan(field: string, cursor: { at: Date; id: string } | undefined) {
  if (!cursor) return {};
  return { $or: [{ [field]: { $lt: cursor.at } }, { [field]: cursor.at, _id: { $lt: cursor.id } }] };
}
