import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the backend runs on :7000; the socket goes through this server so the page stays same-origin.
const backend = process.env.AGENT_BACKEND_URL ?? 'http://127.0.0.1:7000';

export default defineConfig({
  plugins: [react()],
  server: {
    // A taken port fails the start instead of moving to the next free one: `pnpm dev` announces :3000, and a
    // silent move left another server answering there as the operator inbox.
    strictPort: true,
    proxy: { '/ws': { target: backend, ws: true }, '/api': backend },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'happy-dom',
  },
});
