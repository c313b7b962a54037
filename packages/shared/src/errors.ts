/**
 * Base class of every expected, typed failure. Each edge (HTTP error handler, Kafka error topic)
 * maps `code` to its own representation; nothing below the edge decides status codes.
 */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Thrown by {@link loadConfig} when the environment does not satisfy a service's schema. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
