/** Loose readers for Meta's JSON: real payloads vary, so nothing here throws on an unexpected shape. */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asObjects(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is JsonObject => asObject(item) !== undefined);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  // IDs are strings in Meta's docs, but we never reject a payload for an ID's format.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Meta's unix seconds, as a string or a number → ISO 8601; null when absent or unreadable. */
export function unixSecondsToIso(value: unknown): string | null {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
