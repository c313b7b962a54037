import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stackUp } from './stack.js';
import { repoRoot } from './stack-settings.js';

/** One process `pnpm dev` runs, and where it answers once it is ready. */
interface DevProcess {
  name: string;
  workspace: string;
  url: string;
  health: string;
  what: string;
  /** What to open in a browser, relative to `url`. */
  open?: string;
  /** The package script to run; `dev` by default. */
  script?: string;
  /** Listening is enough (a fake API with no health route). */
  anyStatus?: boolean;
}

const processes: DevProcess[] = [
  {
    name: 'admin',
    workspace: '@wa-broker/admin',
    url: 'http://127.0.0.1:8000',
    health: '/healthz',
    what: 'admin API (Swagger UI at /docs)',
  },
  {
    name: 'notify',
    workspace: '@wa-broker/notify',
    url: 'http://127.0.0.1:8100',
    health: '/healthz',
    what: 'notifications API (Swagger UI at /docs)',
  },
  {
    name: 'webhook',
    workspace: '@wa-broker/webhook',
    url: 'http://127.0.0.1:5000',
    health: '/healthz',
    what: 'webhook (Meta calls POST /webhook)',
  },
  {
    name: 'router',
    workspace: '@wa-broker/router',
    url: 'http://127.0.0.1:6100',
    health: '/healthz',
    what: 'router (metrics at /metrics)',
  },
  {
    name: 'agent',
    workspace: '@wa-broker/agent-backend',
    url: 'http://127.0.0.1:7000',
    health: '/healthz',
    what: 'demo agent backend (Agent A)',
  },
  {
    name: 'simulator',
    workspace: '@wa-broker/wa-simulator',
    url: 'http://127.0.0.1:4010',
    health: '/healthz',
    what: 'simulated phone: open it and say hi',
  },
  {
    name: 'operator',
    workspace: '@wa-broker/agent-frontend',
    url: 'http://127.0.0.1:3000',
    open: '/?token=dev-operator-token',
    health: '/',
    what: 'operator inbox: answer from here',
  },
  {
    name: 'bot',
    workspace: '@wa-broker/bot-agent',
    url: 'http://127.0.0.1:7200',
    health: '/readyz',
    what: 'command bot ("Command Bot" in the menu: /help)',
  },
  {
    name: 'bot-api',
    workspace: '@wa-broker/bot-agent',
    script: 'fake-api',
    url: 'http://127.0.0.1:7300',
    health: '/',
    anyStatus: true,
    what: "the bot's fake external API",
  },
];

const colors = [36, 33, 35, 32, 34, 31, 96, 93];

function start(process_: DevProcess, index: number): ChildProcess {
  // Own process group, so Ctrl-C stops each service with everything it spawned (tsx watch, vite).
  const child = spawn('pnpm', ['--filter', process_.workspace, process_.script ?? 'dev'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // kafkajs warns about its v2 partitioner change on every start; our keys are new, the warning is noise.
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  });
  const prefix = `\x1b[${colors[index % colors.length]}m${process_.name.padEnd(9)}\x1b[0m|`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) console.log(`${prefix} exited (${signal ?? code})`);
  });
  return child;
}

async function waitHealthy(process_: DevProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${process_.url}${process_.health}`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok || process_.anyStatus) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

let stopping = false;
const children: ChildProcess[] = [];

async function stopAll(): Promise<void> {
  stopping = true;
  for (const child of children) if (child.pid) trySignal(-child.pid, 'SIGTERM');
  const deadline = Date.now() + 8000;
  while (
    children.some((child) => child.exitCode === null && child.signalCode === null) &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const child of children) if (child.pid && child.exitCode === null) trySignal(-child.pid, 'SIGKILL');
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  await stackUp({ progress: (service, message) => console.log(`[stack:${service}] ${message}`) });
  processes.forEach((process_, index) => {
    children.push(start(process_, index));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log('\nstopping…');
      void stopAll().then(() => process.exit(0));
    });
  }
  const ready = await Promise.all(processes.map((process_) => waitHealthy(process_, 90_000)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `\n\x1b[1mwa-broker is up in ${seconds} s\x1b[0m (Ctrl-C stops everything; the stack keeps running: pnpm stack down)`,
  );
  processes.forEach((process_, index) => {
    console.log(
      `  ${ready[index] ? '✔' : '✘'} ${`${process_.url}${process_.open ?? ''}`.padEnd(50)} ${process_.what}`,
    );
  });
  console.log('\nOpen the simulated phone, say hi, pick "Agent A", then answer from the operator inbox.\n');
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
});
