import { describe, expect, it } from 'vitest';
import { countPublished, createMetrics } from './metrics.js';

const valuesOf = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  Object.fromEntries(
    ((await metrics.registry.getSingleMetric(name)?.get())?.values ?? []).map((v) => [
      Object.values(v.labels).join(','),
      v.value,
    ]),
  );

describe('countPublished', () => {
  it('counts dead letters by reason and window_closed errors by who refused', async () => {
    const metrics = createMetrics();
    countPublished(metrics, 'router-dead-letter', [
      { topic: 'router-dead-letter', key: 'u', value: { v: 1, reason: 'send_failed' } },
      { topic: 'router-dead-letter', key: 'u', value: { v: 1, reason: 'send_failed' } },
      { topic: 'router-dead-letter', key: 't', value: { v: 1, reason: 'unreadable' } },
      { topic: 'a-error', key: 'u', value: { code: 'window_closed' } },
      { topic: 'a-error', key: 'u', value: { code: 'window_closed', meta_error: { code: 131047 } } },
      { topic: 'a-error', key: 'u', value: { code: 'send_failed', meta_error: { code: 131048 } } },
      { topic: 'a-in', key: 'u', value: { type: 'status', meta_error: { code: 131047 } } },
    ]);
    expect(await valuesOf(metrics, 'router_dead_letters_total')).toEqual({ send_failed: 2, unreadable: 1 });
    expect(await valuesOf(metrics, 'router_window_closed_total')).toEqual({ router: 1, meta: 1 });
  });
});
