/**
 * The metric names a PromQL expression reads, and whether a /metrics page exports them: enough of PromQL for the
 * dashboard and alert rules in deploy/observability/ (docs/observability.md), so a renamed metric fails a test
 * instead of leaving a panel empty or an alert silent.
 */

/** Words that look like identifiers but name no metric: functions and aggregations are caught by their `(`. */
const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** Label lists of `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`: label names, not metrics. */
const labelList = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

export function metricNamesIn(expression: string): string[] {
  const bare = expression
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`/g, '""') // strings (label values, regexes)
    .replace(/\{[^}]*\}/g, ' ') // matchers: label names and values
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries ([5m], [$__rate_interval])
    .replace(labelList, ' ')
    .replace(/\$\{?\w+\}?/g, ' '); // Grafana variables
  const names = new Set<string>();
  // Numbers (1e-9, 0.99, 5m) are consumed whole, so their letters never read as identifiers.
  for (const match of bare.matchAll(
    /(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[a-z]*)|([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g,
  )) {
    const [, number, word, call] = match;
    if (number || !word || call || keywords.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

/** Every metric family a Prometheus text page declares (`# TYPE name type`), with its type. */
export function exportedFamilies(page: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const [, name, type] of page.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    if (name && type) families.set(name, type);
  return families;
}

/** Whether `name` is a series of one of `families`: a histogram's `_bucket/_sum/_count`, a counter with or without `_total`. */
export function isExported(name: string, families: ReadonlyMap<string, string>): boolean {
  if (families.has(name)) return true;
  const suffix = /^(.*)_(bucket|sum|count|total)$/.exec(name);
  if (!suffix) return families.get(`${name}_total`) === 'counter';
  const [, base = '', part] = suffix;
  const type = families.get(base);
  if (part === 'total') return type === 'counter';
  if (part === 'bucket') return type === 'histogram';
  return type === 'histogram' || type === 'summary';
}

/** The names `expressions` read that no family exports, each with the first place that reads it. */
export function unexported(
  expressions: readonly { where: string; expr: string }[],
  families: ReadonlyMap<string, string>,
): { metric: string; where: string }[] {
  const missing = new Map<string, string>();
  for (const { where, expr } of expressions)
    for (const metric of metricNamesIn(expr))
      if (!isExported(metric, families) && !missing.has(metric)) missing.set(metric, where);
  return [...missing].map(([metric, where]) => ({ metric, where }));
}
