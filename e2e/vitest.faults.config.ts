import { defineTestConfig } from '@wa-broker/infra/vitest';

// The proof suites (`pnpm test:faults`): one file at a time, so a private cluster never competes with another
// scenario's load on a 2-core machine.
export default defineTestConfig({
  include: ['test/faults/**/*.faults.test.ts'],
  fileParallelism: false,
  testTimeout: 180_000,
  hookTimeout: 240_000,
});
