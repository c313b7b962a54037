import { startFakeBackend } from './fake-backend.js';

// The demo's external API: `pnpm --filter @wa-broker/bot-agent fake-api` (BACKEND_API_URL points here).
const port = Number(process.env.FAKE_API_PORT ?? 7300);
const fake = await startFakeBackend({ port, host: process.env.FAKE_API_HOST ?? '127.0.0.1' });
console.warn(
  `fake backend API on ${fake.url} (orders A1001, A1002; quotes AAPL, MSFT, EUR; SLOW, FAIL, BAD)`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void fake.close().then(() => process.exit(0)));
