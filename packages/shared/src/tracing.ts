import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

/**
 * One trace per message across every hop (issue 21 §2): the webhook starts it, W3C trace context travels in Kafka
 * record headers (`traceparent`, `tracestate`) through the router, the agent (SDK) and the router again to the
 * Graph API. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then every span goes to that OTLP/HTTP collector.
 * Without it the API is OpenTelemetry's no-op: no span is recorded and no header is written.
 * Attributes name the wamid, the user's pseudonym (log-privacy.ts) and the agent, never a message's text.
 */
export const tracingEnv = z.object({
  /** e.g. `http://otel-collector:4318` (the exporter posts to `<endpoint>/v1/traces`). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});
export type TracingEnv = z.infer<typeof tracingEnv>;

export interface Tracing {
  /** Flushes what is buffered and stops; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

/** Starts the SDK for `service` when an endpoint (or, in tests, an exporter) is given. */
export function startTracing(settings: {
  service: string;
  endpoint?: string | undefined;
  exporter?: SpanExporter;
}): Tracing {
  if (settings.exporter) {
    // Tests: each span is handed to their exporter as it ends.
    const sdk = new NodeSDK({
      serviceName: settings.service,
      spanProcessors: [new SimpleSpanProcessor(settings.exporter)],
      instrumentations: [],
    });
    sdk.start();
    return { shutdown: () => sdk.shutdown() };
  }
  const exporter =
    settings.exporter ??
    (settings.endpoint
      ? new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/$/, '')}/v1/traces` })
      : undefined);
  if (!exporter) return { shutdown: async () => undefined };
  const sdk = new NodeSDK({
    serviceName: settings.service,
    traceExporter: exporter,
    // Spans are made by hand at each hop; no automatic instrumentation of HTTP, DNS, etc.
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
