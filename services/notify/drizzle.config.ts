import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a migration after a change to src/db/schema.ts; commit drizzle/ with it.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
