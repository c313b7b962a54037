import { z } from 'zod';
import { ConfigError } from './errors.js';

export type Env = Record<string, string | undefined>;

/**
 * Parses `env` against a service's schema once, at boot. On failure every missing or bad variable is listed
 * in one error; values are never echoed because they may be secrets.
 */
export function loadConfig<Schema extends z.ZodType>(schema: Schema, env: Env): Readonly<z.infer<Schema>> {
  // Empty strings count as missing: `FOO=` in an env file means "not configured", not "configured as empty".
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return Object.freeze(result.data);
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    return issue.code === 'invalid_type' && cleaned[name] === undefined
      ? `${name}: is required`
      : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** A comma-separated list of non-empty strings: `a,b , c` → `['a','b','c']`. */
export const csv = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string()).min(1, 'must list at least one value'));

/** A TCP port number given as a string. */
export const port = z.coerce.number().int().min(0).max(65535);

/** `true/false/1/0/yes/no`, case-insensitive. */
export const flag = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const logEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: csv,
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Replication factor for topics the services create; 1 on the single-node stack, 3 on a cluster. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  /**
   * This process's own Kafka principal (SASL). Both or neither: without them the client connects
   * unauthenticated, which only a cluster without an authorizer accepts (the project's stacks all have one).
   */
  KAFKA_USERNAME: z.string().min(1).optional(),
  KAFKA_PASSWORD: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).default('scram-sha-512'),
  /** TLS to the brokers (SASL_SSL); KAFKA_TLS_CA_FILE: a PEM bundle when the brokers' CA is not a public one. */
  KAFKA_TLS: flag.default(false),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
});
export type KafkaEnv = z.infer<typeof kafkaEnv>;

export const httpEnv = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port,
});
