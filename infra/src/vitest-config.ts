import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const globalSetup = fileURLToPath(new URL('./vitest-global-setup.ts', import.meta.url));

/**
 * The vitest config every package uses: unit tests beside the code (`src/**\/*.test.ts`), integration tests
 * under `test/`, and one global setup that brings the real stack up (or reuses it) once per run.
 */
export function defineTestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: [globalSetup],
      testTimeout: 30_000,
      hookTimeout: 90_000,
      pool: 'forks',
      ...overrides,
    },
  });
}
