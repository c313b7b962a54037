import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { privateStack } from './private-stack.js';

describe('a private stack’s ports', () => {
  it('refuses a port of the ephemeral range (a client connection may hold it) before creating anything', () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    // The 3-node cluster's last controller port is the one in the range.
    const first = (low ?? 32768) - 5;
    expect(() => privateStack('ports-test', { kafka: first, mongo: 27099, brokers: 3 })).toThrow(
      `private stack ports-test: ports ${first + 5} are in the ephemeral range`,
    );
  });

  it('accepts ports below the range', async () => {
    const stack = privateStack('ports-test', { kafka: 30992, mongo: 27099 });
    expect(stack.settings.kafkaPort).toBe(30992);
    await stack.remove(); // nothing was started: removes its folder
  });
});
