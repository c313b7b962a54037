import { Writable } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { contextFromHeaders, inSpan, startSpan, traceHeaders } from './trace-context.js';
import { startTracing } from './tracing.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: 'test', destination }), lines };
}

// Issue 21 §2. The order matters: OpenTelemetry's globals stay registered once the SDK started.
describe('trace context in Kafka headers and log lines', () => {
  it('is a no-op while tracing is off: no header, no trace id in logs', async () => {
    const { logger, lines } = capturedLogger();
    const headers = await inSpan('off', {}, async () => {
      logger.info('inside');
      return traceHeaders();
    });
    expect(headers).toEqual({});
    expect(lines[0]?.trace_id).toBeUndefined();
  });

  it('carries the span through headers to the next hop, and stamps log lines with the trace id', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ service: 'test', exporter });
    const { logger, lines } = capturedLogger();
    const headers = await inSpan('webhook.delivery', { attributes: { 'wa.records': 1 } }, async () => {
      logger.info('published');
      return traceHeaders();
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // The next process reads the headers as kafkajs hands them over (Buffers).
    const next = startSpan(
      'router.inbound',
      contextFromHeaders({ traceparent: Buffer.from(headers.traceparent ?? '') }),
    );
    next.end();
    // The SDK hands a span over once its resource is complete (asynchronously).
    await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(2));
    const [first, second] = exporter.getFinishedSpans();
    await tracing.shutdown();
    expect(first?.name).toBe('webhook.delivery');
    expect(second?.spanContext().traceId).toBe(first?.spanContext().traceId);
    expect(second?.parentSpanContext?.spanId).toBe(first?.spanContext().spanId);
    expect(lines[0]?.trace_id).toBe(first?.spanContext().traceId);
  });
});
