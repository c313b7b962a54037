import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * Trace context across hops (issue 21 §2), OpenTelemetry's API only: W3C `traceparent`/`tracestate` in Kafka
 * record headers, spans per hop. With no SDK started (tracing.ts) every call here is a no-op: no header, no span.
 */
const tracer = () => trace.getTracer('wa-broker');

/** Kafka headers, as kafkajs hands them over (Buffer values), read as text. */
type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

const headerGetter = {
  keys: (carrier: KafkaHeaders) => Object.keys(carrier ?? {}),
  get: (carrier: KafkaHeaders, key: string) => {
    const value = carrier?.[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The trace context a record carries (the root context when it carries none). */
export function contextFromHeaders(headers: KafkaHeaders): Context {
  return propagation.extract(context.active(), headers, headerGetter);
}

/** The headers that carry `ctx` (default: the active one) to the next hop; empty when tracing is off. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Starts a span under `parent`; end it yourself (`endSpan`). */
export function startSpan(
  name: string,
  parent: Context,
  attributes: Attributes = {},
  kind = SpanKind.INTERNAL,
): Span {
  return tracer().startSpan(name, { kind, attributes }, parent);
}

/** Ends a span, marking it failed with the error's type (not its message, which may name a user). */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const name = error instanceof Error ? error.name : 'Error';
    span.setStatus({ code: SpanStatusCode.ERROR, message: name });
  }
  span.end();
}

/** Runs `work` in a span under `parent` (default: the active context), as the active span; ends it after. */
export async function inSpan<T>(
  name: string,
  options: { parent?: Context; attributes?: Attributes; kind?: SpanKind },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = startSpan(name, parent, options.attributes, options.kind);
  try {
    const result = await context.with(trace.setSpan(parent, span), () => work(span));
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** The context with `span` active, for headers of what it produces. */
export const contextWithSpan = (span: Span, parent: Context = context.active()): Context =>
  trace.setSpan(parent, span);

/** The active trace id, for log lines (undefined when nothing is traced). */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const id = span?.spanContext().traceId;
  return id && span?.isRecording() ? id : undefined;
}

export type { Context, Span } from '@opentelemetry/api';
export { SpanKind };
