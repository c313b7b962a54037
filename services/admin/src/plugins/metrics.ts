import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

export interface AdminMetrics {
  registry: Registry;
  changePublishFailures: Counter;
  numberChangePublishFailures: Counter;
  templateChangePublishFailures: Counter;
  templateSyncFailures: Counter;
  /** Once per wamid, when its `sent` record is first stored (issue 19 §5). */
  messagesSent: Counter<'agent' | 'origin'>;
  /** Once per wamid, when it is first both sent (agent known) and billable. */
  messagesBillable: Counter<'agent' | 'category'>;
}

/** One registry per app (tests build several apps in one process). */
export function createMetrics(registry: Registry): AdminMetrics {
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    changePublishFailures: new Counter({
      name: 'admin_agent_change_publish_failures_total',
      help: 'Agent changes committed to PostgreSQL whose event could not be published to Kafka',
      registers: [registry],
    }),
    numberChangePublishFailures: new Counter({
      name: 'admin_number_change_publish_failures_total',
      help: 'Business-number changes committed to PostgreSQL whose event could not be published to Kafka',
      registers: [registry],
    }),
    templateChangePublishFailures: new Counter({
      name: 'admin_template_change_publish_failures_total',
      help: 'Template changes stored in PostgreSQL whose event could not be published to Kafka',
      registers: [registry],
    }),
    templateSyncFailures: new Counter({
      name: 'admin_template_sync_failures_total',
      help: 'WABA template syncs that failed or were incomplete (retried next round, nothing deleted)',
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'wa_messages_sent_total',
      help: 'Sends Meta accepted, once per wamid, by agent id (none: notifications, router) and origin',
      labelNames: ['agent', 'origin'],
      registers: [registry],
    }),
    messagesBillable: new Counter({
      name: 'wa_messages_billable_total',
      help: 'Sends Meta bills (pricing of their statuses), once per wamid, by agent id and pricing category',
      labelNames: ['agent', 'category'],
      registers: [registry],
    }),
  };
}

export function installRequestMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'admin_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
