import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { run, waitUntil } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import type { ServiceStatus, StackService, UpOutcome } from './stack-service.js';

/**
 * PostgreSQL: the server already running on our machines is used when it answers; otherwise, when Debian's
 * binaries exist, a private cluster in the stack folder is started on the configured port.
 * Either way the project's databases are created.
 */
export class PostgresService implements StackService {
  readonly name = 'postgres';
  readonly url: string;
  readonly logFile: string;
  private readonly dir: string;

  constructor(private readonly settings: StackSettings) {
    this.dir = join(settings.stackDir, 'postgres');
    this.logFile = join(this.dir, 'postgres.log');
    const url = new URL(settings.postgresUrl);
    this.url = `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}`;
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    let outcome: UpOutcome;
    if (await this.answers()) outcome = this.isOurs() ? 'already running' : 'external';
    else {
      this.startPrivate(progress);
      await waitUntil('postgres', () => this.answers(), 30_000);
      outcome = 'started';
    }
    await this.createDatabases(progress);
    return outcome;
  }

  async down(): Promise<boolean> {
    if (!this.isOurs()) return false;
    this.pgCtl(['stop', '-m', 'fast', '-w']);
    return true;
  }

  async status(): Promise<ServiceStatus> {
    return { name: this.name, url: this.url, answering: await this.answers(), ours: this.isOurs() };
  }

  private isOurs(): boolean {
    return existsSync(join(this.dir, 'data', 'postmaster.pid'));
  }

  private binDir(): string {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
    const bin = versions
      .map((version) => join(root, version, 'bin'))
      .find((dir) => existsSync(join(dir, 'initdb')));
    if (!bin)
      throw new Error(
        `postgres: nothing answers at ${this.url} and no PostgreSQL binaries were found under ${root}`,
      );
    return bin;
  }

  // initdb refuses to run as root, so as root the cluster belongs to the postgres user.
  private asOwner(command: string, args: string[]): string {
    return userInfo().uid === 0
      ? run('runuser', ['-u', 'postgres', '--', command, ...args])
      : run(command, args);
  }

  private pgCtl(args: string[]): string {
    return this.asOwner(join(this.binDir(), 'pg_ctl'), ['-D', join(this.dir, 'data'), ...args]);
  }

  private startPrivate(progress: (message: string) => void): void {
    mkdirSync(this.dir, { recursive: true });
    if (userInfo().uid === 0) {
      const { uid, gid } = postgresUser();
      chownSync(this.dir, uid, gid);
    }
    if (!existsSync(join(this.dir, 'data', 'PG_VERSION'))) {
      progress('initdb of a private cluster');
      this.asOwner(join(this.binDir(), 'initdb'), [
        '-D',
        join(this.dir, 'data'),
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
    }
    const { hostname, port } = new URL(this.settings.postgresUrl);
    progress(`starting a private PostgreSQL on ${hostname}:${port || 5432}`);
    const options = `-p ${port || 5432} -k ${this.dir} -c listen_addresses=${hostname}`;
    this.pgCtl(['-l', this.logFile, '-w', '-o', options, 'start']);
  }

  private async answers(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.settings.postgresUrl,
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async createDatabases(progress: (message: string) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.settings.postgresUrl });
    await client.connect();
    try {
      for (const name of this.settings.databases) {
        const found = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (found.rowCount) continue;
        await client
          .query(`create database "${name.replaceAll('"', '""')}"`)
          .catch((error: { code?: string }) => {
            if (error.code !== '42P04') throw error; // created meanwhile by a parallel `up`
          });
        progress(`created database ${name}`);
      }
    } finally {
      await client.end();
    }
  }
}

function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(run('id', ['-u', 'postgres']).trim()),
    gid: Number(run('id', ['-g', 'postgres']).trim()),
  };
}
