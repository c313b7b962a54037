import { describe, expect, it } from 'vitest';
import { serviceConfig } from '../src/config.js';
import { harnessEnv } from './support/harness.js';

// Tests share the broker with `pnpm dev` and with each other. kafkajs' round-robin assigner gives a group's
// partitions to its members whatever each subscribed to, so a harness router in `pnpm dev`'s group (or in another
// test file's) can be handed their partitions, and would send dev's notifications to its fake Graph API.
describe('the router test harness', () => {
  it('gives every consumer group of the router a name of its own run, none of them a default', () => {
    const groupKeys = Object.keys(serviceConfig.shape).filter((key) => key.endsWith('_GROUP_ID'));
    expect(groupKeys.length).toBeGreaterThanOrEqual(4);
    const env = harnessEnv('abcd1234', 'http://127.0.0.1:1');
    // What the router would use without them: `pnpm dev`'s groups.
    const withoutGroups = Object.fromEntries(Object.entries(env).filter(([key]) => !groupKeys.includes(key)));
    const defaults = serviceConfig.parse(withoutGroups) as Record<string, unknown>;
    for (const key of groupKeys) {
      expect({ key, value: env[key] }).toEqual({ key, value: expect.stringMatching(/^tabcd1234-/) });
      expect(env[key]).not.toBe(defaults[key]);
    }
  });
});
