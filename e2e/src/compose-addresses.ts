import { addressesIn } from '@wa-broker/infra/compose-model';
import { stackS3 } from '@wa-broker/infra/stack-settings';
import type { testStackEnv } from '@wa-broker/infra/test-env';

// How the compose e2e maps compose's addresses to this machine (compose-system.ts): a started service's host to
// 127.0.0.1 on its free port, an official image's to the local stack's server.

/** The official images' stand-ins: the local stack's servers, as `host:port`. */
export function stackAddresses(stack: ReturnType<typeof testStackEnv>): Record<string, string> {
  const hostOf = (url: string) => new URL(url).host;
  return {
    kafka: stack.KAFKA_BROKERS.split(',')[0] ?? '',
    postgres: hostOf(stack.TEST_DATABASE_URL),
    redis: hostOf(stack.REDIS_URL),
    mongo: hostOf(stack.MONGO_URL),
    minio: hostOf(stackS3().endpoint),
  };
}

export function mapAddresses(
  name: string,
  env: Record<string, string>,
  localPort: Map<string, number>,
  stackHosts: Record<string, string>,
  built: string[],
): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    let text = value;
    if (/(^|_)HOST$/.test(key) && value === '0.0.0.0') text = '127.0.0.1';
    if (/(^|_)PORT$/.test(key) && localPort.has(`${name}:${value}`))
      text = String(localPort.get(`${name}:${value}`));
    for (const address of addressesIn(value)) {
      const target = built.includes(address.host)
        ? `127.0.0.1:${localPort.get(`${address.host}:${address.port}`)}`
        : stackHosts[address.host];
      if (!target || address.host.includes('.')) continue;
      const written = `${address.host}:${address.port}`;
      if (!text.includes(written))
        throw new Error(`${name}: ${key}=${value} names ${address.host} without a port`);
      text = text.replace(written, target);
    }
    mapped[key] = text;
  }
  return mapped;
}
