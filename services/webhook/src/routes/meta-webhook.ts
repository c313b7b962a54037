import { randomUUID } from 'node:crypto';
import { inSpan, SpanKind } from '@wa-broker/shared/trace-context';
import type { FastifyPluginAsync } from 'fastify';
import type { DeliveryPublisher } from '../adapters/delivery-publisher.kafka.js';
import type { WebhookMetrics } from '../adapters/metrics.js';
import { WebhookError } from '../domain/errors.js';
import { parseDelivery } from '../domain/parse-delivery.js';
import { countByKind, type PlannedRecord, planDelivery } from '../domain/plan-delivery.js';
import { assertMetaSignature } from '../domain/signature.js';
import { verifySubscription } from '../domain/verify-subscription.js';

export interface MetaWebhookDeps {
  verifyToken: string;
  appSecrets: readonly string[];
  bodyLimitBytes: number;
  publisher: DeliveryPublisher;
  metrics: WebhookMetrics;
}

export function metaWebhookRoutes(deps: MetaWebhookDeps): FastifyPluginAsync {
  return async (app) => {
    // Meta signs the raw bytes, so the body stays a Buffer here: JSON is parsed only after the check.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes }, (_req, body, done) =>
      done(null, body),
    );

    app.get('/webhook', async (req, reply) => {
      const challenge = verifySubscription(req.query as Record<string, unknown>, deps.verifyToken);
      if (challenge === null) throw new WebhookError('verification_failed', 'verification failed');
      return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
    });

    app.post<{ Body: Buffer }>('/webhook', async (req, reply) => {
      const receivedAt = new Date();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = assertMetaSignature(body, req.headers['x-hub-signature-256'], deps.appSecrets);
      const traceId = randomUUID();
      const records = planDelivery(parseDelivery(body), {
        rawBody: body,
        signature,
        receivedAt,
        traceId,
      });
      // Meta redelivers anything we do not 200, and has no replay API: answer only after Kafka's ack. The
      // delivery's span is where each message's trace starts; its records carry it on (publisher headers).
      await inSpan(
        'webhook.delivery',
        { kind: SpanKind.SERVER, attributes: deliveryAttributes(records) },
        () => deps.publisher.publish(records),
      );
      for (const [kind, count] of countByKind(records)) deps.metrics.countEvents(kind, count);
      req.log.debug({ reqId: req.id, traceId, records: records.length }, 'delivery published');
      return reply.code(200).send({ status: 'ok', trace_id: traceId });
    });
  };
}

/** What a delivery's span says: how many records of each kind, and the wamids (never a text or a phone). */
function deliveryAttributes(records: readonly PlannedRecord[]): Record<string, string | number | string[]> {
  const wamids = records.flatMap((record) =>
    record.stream === 'events' && 'item' in record.value && record.value.item && 'id' in record.value.item
      ? [String(record.value.item.id)]
      : [],
  );
  return { 'wa.records': records.length, 'wa.wamids': wamids };
}
