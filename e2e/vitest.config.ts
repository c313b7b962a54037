import { defineTestConfig } from '@wa-broker/infra/vitest';

// The fault suites run on their own (`pnpm test:faults`, vitest.faults.config.ts).
export default defineTestConfig({ exclude: ['**/node_modules/**', 'test/faults/**'] });
