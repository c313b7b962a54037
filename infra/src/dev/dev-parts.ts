import type { DevPart } from './part-check.js';

const pnpmScript = (workspace: string, script = 'dev') => ['pnpm', '--filter', workspace, script];

/** What `pnpm dev` runs. Each url's port is the one the part's `.env.example` (or its dev script) listens on. */
export const devParts: readonly DevPart[] = [
  {
    name: 'admin',
    command: pnpmScript('@wa-broker/admin'),
    url: 'http://127.0.0.1:8000',
    health: '/healthz',
    what: 'admin API (Swagger UI at /docs)',
  },
  {
    name: 'notify',
    command: pnpmScript('@wa-broker/notify'),
    url: 'http://127.0.0.1:8100',
    health: '/healthz',
    what: 'notifications API (Swagger UI at /docs)',
  },
  {
    name: 'webhook',
    command: pnpmScript('@wa-broker/webhook'),
    url: 'http://127.0.0.1:5000',
    health: '/healthz',
    what: 'webhook (Meta calls POST /webhook)',
  },
  {
    name: 'router',
    command: pnpmScript('@wa-broker/router'),
    url: 'http://127.0.0.1:6100',
    health: '/healthz',
    what: 'router (metrics at /metrics)',
  },
  {
    name: 'media',
    command: pnpmScript('@wa-broker/media'),
    url: 'http://127.0.0.1:8300',
    health: '/healthz',
    what: "media service (users' files in S3, agents' uploads)",
  },
  {
    name: 'agent',
    command: pnpmScript('@wa-broker/agent-backend'),
    url: 'http://127.0.0.1:7000',
    health: '/healthz',
    what: 'demo agent backend (Agent A)',
  },
  {
    name: 'simulator',
    command: pnpmScript('@wa-broker/wa-simulator'),
    url: 'http://127.0.0.1:4010',
    health: '/healthz',
    what: 'simulated phone: open it and say hi',
  },
  {
    name: 'operator',
    // Vite's strictPort (vite.config.ts): a taken 3000 is an error, never a silent move to 3001.
    command: pnpmScript('@wa-broker/agent-frontend'),
    url: 'http://127.0.0.1:3000',
    open: '/?token=dev-operator-token',
    health: '/',
    what: 'operator inbox: answer from here',
  },
  {
    name: 'bot',
    command: pnpmScript('@wa-broker/bot-agent'),
    url: 'http://127.0.0.1:7200',
    health: '/readyz',
    what: 'command bot ("Command Bot" in the menu: /help)',
  },
  {
    name: 'bot-api',
    command: pnpmScript('@wa-broker/bot-agent', 'fake-api'),
    url: 'http://127.0.0.1:7300',
    health: '/',
    anyStatus: true,
    what: "the bot's fake external API",
  },
];
