import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportedFamilies, isExported, metricNamesIn, unexported } from '../src/promql-metrics.js';
import { type System, startSystem } from '../src/system.js';

const observability = new URL('../../deploy/observability/', import.meta.url);

interface Expression {
  where: string;
  expr: string;
}

/** Every PromQL expression of the Grafana dashboard, named by panel title. */
function dashboardExpressions(): Expression[] {
  const dashboard = JSON.parse(readFileSync(new URL('grafana/wa-broker.json', observability), 'utf8')) as {
    panels: { title: string; targets?: { expr?: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr ?? '' })),
  );
}

/** Every rule's expression of the alert rules file, named by alert. */
function alertExpressions(): Expression[] {
  const rules = parse(readFileSync(new URL('prometheus/alerts.yaml', observability), 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alert ${rule.alert ?? rule.record}`, expr: String(rule.expr) })),
  );
}

describe('the PromQL metric extractor', () => {
  it('finds metrics, not functions, labels, ranges, variables or numbers', () => {
    const expr = `histogram_quantile(0.99, sum by (le, result) (rate(webhook_kafka_produce_seconds_bucket{result="ok", x=~"a|b"}[$__rate_interval])))
      / ignoring(code) group_left sum(rate(router_sends_total[5m] offset 1h)) > 1e-3 and on(group) router_consumer_lag`;
    expect(metricNamesIn(expr).sort()).toEqual([
      'router_consumer_lag',
      'router_sends_total',
      'webhook_kafka_produce_seconds_bucket',
    ]);
  });

  it('knows histograms by their _bucket, _sum and _count and counters with or without _total', () => {
    const families = exportedFamilies(
      '# HELP h h\n# TYPE h histogram\n# HELP c_total c\n# TYPE c_total counter\n# TYPE g gauge\n',
    );
    for (const name of ['h_bucket', 'h_sum', 'h_count', 'c_total', 'c', 'g'])
      expect(isExported(name, families)).toBe(true);
    for (const name of ['g_total', 'g_bucket', 'c_bucket', 'h_total'])
      expect(isExported(name, families)).toBe(false);
  });

  it('names a metric nobody exports, and where it is read', () => {
    const families = exportedFamilies('# TYPE router_sends_total counter\n');
    const expressions = [
      { where: 'panel "ok"', expr: 'sum(rate(router_sends_total[5m]))' },
      { where: 'alert Made', expr: 'sum(rate(wa_made_up_refusals_total{code="1"}[5m])) > 0' },
    ];
    expect(unexported(expressions, families)).toEqual([
      { metric: 'wa_made_up_refusals_total', where: 'alert Made' },
    ]);
  });
});

describe('dashboards and alerts read only exported metrics', () => {
  let system: System | undefined;
  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  /** The metric families every running service exports (the admin's /metrics needs its key). */
  async function families(): Promise<Map<string, string>> {
    if (!system) throw new Error('the system did not start');
    const admin = { authorization: `Bearer ${system.adminKey}` };
    const pages = await Promise.all(
      [
        { url: system.webhook.url },
        { url: system.router.url },
        { url: system.agent.url },
        { url: system.admin.url, headers: admin },
      ].map(async ({ url, headers }) => {
        const response = await fetch(`${url}/metrics`, headers ? { headers } : {});
        expect(response.status, `${url}/metrics`).toBe(200);
        return response.text();
      }),
    );
    return new Map(pages.flatMap((page) => [...exportedFamilies(page)]));
  }

  it('every metric of the dashboard and of the alert rules is on some service’s /metrics', async () => {
    const expressions = [...dashboardExpressions(), ...alertExpressions()];
    expect(expressions.length).toBeGreaterThan(10);
    for (const { where, expr } of expressions) expect(metricNamesIn(expr), where).not.toHaveLength(0);
    expect(unexported(expressions, await families())).toEqual([]);
  });
});
