import { type Logger, type LoggerOptions, pino } from 'pino';

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

export interface LoggerSettings {
  service: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** One structured JSON line per event, with the service name on every line and secrets redacted. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
