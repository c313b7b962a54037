/** A service's Prometheus counters, histogram sums and counts whose names start with one of `prefixes`. */
export async function scrapeCounters(url: string, prefixes: readonly string[]): Promise<Map<string, number>> {
  const series = new Map<string, number>();
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) return series;
  for (const line of (await response.text()).split('\n')) {
    if (line.startsWith('#') || !prefixes.some((prefix) => line.startsWith(prefix))) continue;
    const name = line.slice(0, line.lastIndexOf(' '));
    if (!/_(total|sum|count)(\{|$)/.test(name)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) series.set(name, value);
  }
  return series;
}

/**
 * What the series grew by between two scrapes, without those that did not move; a histogram's `_sum` and
 * `_count` become one mean (`…_mean_ms` for seconds, with its count).
 */
export function counterDelta(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, value] of after) {
    const grew = value - (before.get(name) ?? 0);
    if (grew === 0) continue;
    if (name.includes('_sum')) continue;
    if (name.includes('_count')) {
      const sumName = name.replace('_count', '_sum');
      const sum = (after.get(sumName) ?? 0) - (before.get(sumName) ?? 0);
      const unit = name.includes('_seconds') ? 1000 : 1;
      delta[name.replace('_count', unit === 1000 ? '_mean_ms' : '_mean')] =
        Math.round((sum / grew) * unit * 10) / 10;
      delta[name] = grew;
      continue;
    }
    delta[name] = grew;
  }
  return delta;
}
