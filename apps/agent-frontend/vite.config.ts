import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the backend runs on :7000; the socket goes through this server so the page stays same-origin.
const backend = process.env.AGENT_BACKEND_URL ?? 'http://127.0.0.1:7000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/ws': { target: backend, ws: true }, '/api': backend } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'happy-dom',
  },
});
