import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { canConnect, livePid, removeFile, spawnDetached, stopPid, tail, waitUntil } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import type { ServiceStatus, StackService, UpOutcome } from './stack-service.js';

const marker = 'redis-server';

/**
 * Redis: the server already running on our machines is used when it answers PING; otherwise a private
 * `redis-server` with AOF on (sessions survive a restart) is started in the stack folder on the configured port.
 */
export class RedisService implements StackService {
  readonly name = 'redis';
  readonly url: string;
  readonly logFile: string;
  private readonly dir: string;
  private readonly pidFile: string;

  constructor(settings: StackSettings) {
    this.dir = join(settings.stackDir, 'redis');
    this.logFile = join(this.dir, 'redis.log');
    this.pidFile = join(this.dir, 'redis.pid');
    this.url = settings.redisUrl;
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    if (await this.answers()) return livePid(this.pidFile, marker) ? 'already running' : 'external';
    const { hostname, port } = new URL(this.url);
    if (await canConnect(hostname, Number(port || 6379)))
      throw new Error(`redis: ${this.url} is taken by something that does not answer PING`);
    mkdirSync(this.dir, { recursive: true });
    progress(`starting a private redis-server on ${hostname}:${port || 6379}`);
    const args = [
      '--port',
      port || '6379',
      '--bind',
      hostname,
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--save',
      '',
    ];
    const pid = spawnDetached('redis-server', args, this.logFile, this.pidFile, this.dir);
    try {
      await waitUntil(
        'redis',
        () => this.answers(),
        20_000,
        () => livePid(this.pidFile, marker) === pid,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- tail of ${this.logFile} ---\n${tail(this.logFile)}`);
    }
    return 'started';
  }

  async down(): Promise<boolean> {
    const pid = livePid(this.pidFile, marker);
    if (!pid) return false;
    await stopPid(pid, 10_000);
    removeFile(this.pidFile);
    return true;
  }

  async status(): Promise<ServiceStatus> {
    const pid = livePid(this.pidFile, marker);
    return {
      name: this.name,
      url: this.url,
      answering: await this.answers(),
      ours: pid !== undefined,
      ...(pid ? { pid } : {}),
    };
  }

  private async answers(): Promise<boolean> {
    const redis = new Redis(this.url, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  }
}
