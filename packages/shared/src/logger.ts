import { type Logger, type LoggerOptions, pino } from 'pino';
import { censor, contentFields, requestForLog, scrubDeep, scrubText, userFields } from './log-privacy.js';
import { activeTraceId } from './trace-context.js';

export type { Logger } from 'pino';

/** Paths that never reach a log line: tokens, app secrets, signatures, passwords. */
export const redactedPaths = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'headers["x-hub-signature-256"]',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'appSecret',
  '*.appSecret',
  'app_secret',
  '*.app_secret',
  'config.GRAPH_API_TOKEN',
  'config.META_APP_SECRETS',
  'config.ADMIN_API_KEYS',
  'config.NUMBER_TOKEN_KEY',
  'NUMBER_TOKEN_KEY',
  '*.NUMBER_TOKEN_KEY',
  'ciphertext',
  '*.ciphertext',
];

/**
 * The personal-data safety net (log-privacy.ts): user fields pseudonymised, content fields dropped, at the top
 * level and one level down. Call sites still log `user: userRef(key)` themselves: this only catches a field that
 * slipped through.
 */
export const personalDataPaths = [...userFields, ...contentFields].flatMap((field) => [field, `*.${field}`]);

export interface LoggerSettings {
  service: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/**
 * One structured JSON line per event, with the service name on every line, secrets redacted and no personal
 * data: messages, errors' messages and properties scrubbed of phone numbers and BSUIDs, Fastify's request lines naming the
 * route rather than the URL (Fastify takes a logger instance's serializers over its own).
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    // The trace this line belongs to (issue 21 §2), when tracing is on and a span is active.
    mixin: () => {
      const traceId = activeTraceId();
      return traceId ? { trace_id: traceId } : {};
    },
    redact: {
      paths: [...redactedPaths, ...personalDataPaths],
      censor,
    },
    serializers: {
      err: (error: Error) => scrubDeep(pino.stdSerializers.err(error)),
      req: requestForLog,
    },
    // The message too: an agent's error text or a thrown message used as `msg` can name the user.
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
