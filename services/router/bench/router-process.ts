import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '@wa-broker/infra/launch';

/**
 * The router as a process of its own (src/main.ts), as in production: the benchmark's producer and probe then
 * do not share its event loop, so their work is not counted as the router's latency.
 */
export async function spawnRouter(env: Record<string, string>) {
  // A port the kernel just handed out, not a random pick in its ephemeral range: a warm-up round's router failed
  // with EADDRINUSE when a client connection held the one drawn.
  const port = await freePort();
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['src/main.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('router process did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    /** Mean milliseconds of each step of the inbound consumer's batches so far (router_batch_phase_seconds). */
    async inboundPhasesMs(): Promise<Record<string, number>> {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const read = (suffix: string, phase: string) => {
        const series = `router_batch_phase_seconds_${suffix}{consumer="inbound",phase="${phase}"} `;
        const line = text.split('\n').find((candidate) => candidate.startsWith(series));
        return line ? Number(line.slice(series.length)) : Number.NaN;
      };
      const phases = ['begin', 'process', 'commit'];
      return Object.fromEntries(
        phases.map((phase) => [
          phase,
          Number(((1000 * read('sum', phase)) / read('count', phase)).toFixed(2)),
        ]),
      );
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
