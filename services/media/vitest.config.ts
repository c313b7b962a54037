import { defineTestConfig } from '@wa-broker/infra/vitest';

export default defineTestConfig();
