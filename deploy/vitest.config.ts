import { defineConfig } from 'vitest/config';

// Offline checks of files: unlike the other packages, no stack to bring up (no infra global setup).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
