import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@wa-broker/infra/stack-settings';

/** The agent-frontend image's server config (the official nginx image renders it with envsubst at start). */
export const uiTemplateFile = join(repoRoot, 'apps/agent-frontend/nginx/default.conf.template');
/** Debian's nginx (`apt-get install nginx-light`; .ci/run installs it). */
export const nginxBinary = '/usr/sbin/nginx';

export interface UiProxy {
  url: string;
  port: number;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The template as the image renders it: each `${NAME}` given in `env` replaced, as envsubst does with the
 * container's variables; anything left unreplaced fails here rather than in nginx.
 */
export function renderUiTemplate(template: string, env: Record<string, string>): string {
  const rendered = template.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
    (whole, name: string) => env[name] ?? whole,
  );
  const left = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.exec(rendered);
  if (left) throw new Error(`the UI template needs ${left[0]}`);
  return rendered;
}

/** The port the template's server listens on inside the image. */
export function templateListenPort(template: string): number {
  const listen = /^\s*listen\s+(\d+)\s*;/m.exec(template);
  if (!listen) throw new Error('the UI template has no `listen <port>;`');
  return Number(listen[1]);
}

/**
 * Runs the repo's UI template for real with Debian's nginx: the image's `listen` and `root` become a local
 * port and folder, the rest is unchanged, inside an `http {}` like the image's nginx.conf (mime types, temp
 * folders in a private directory).
 */
export async function startUiProxy(options: {
  uiDir: string;
  port: number;
  env: Record<string, string>;
}): Promise<UiProxy> {
  const template = await readFile(uiTemplateFile, 'utf8');
  const server = replaceOnce(
    replaceOnce(
      renderUiTemplate(template, options.env),
      /^(\s*)listen\s+\d+\s*;/m,
      `$1listen 127.0.0.1:${options.port};`,
    ),
    /^(\s*)root\s+\/usr\/share\/nginx\/html\s*;/m,
    `$1root ${options.uiDir};`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'ui-proxy-'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`)
    .join('\n');
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      // Ignored with a warning unless run as root; as root, workers must read the UI folder (a 0700 temp dir).
      `user ${userInfo().username};`,
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'daemon off;',
      'events { worker_connections 256; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  access_log off;',
      temp,
      server,
      '}',
    ].join('\n'),
  );
  const child = spawn(nginxBinary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const logs = async () =>
    `${output.join('')}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = await logs();
      await stop();
      throw new Error(`nginx exited with ${child.exitCode}:\n${text}`);
    }
    try {
      if ((await fetch(url)).ok) return { url, port: options.port, logs, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const text = await logs();
      await stop();
      throw new Error(`nginx not answering at ${url}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`the UI template no longer matches ${pattern}`);
  return text.replace(pattern, replacement);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM'); // nginx: fast shutdown
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
