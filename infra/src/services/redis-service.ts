import { join } from 'node:path';
import { Redis } from 'ioredis';
import { canConnect } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import { OwnedProcess } from './owned-process.js';
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
  private readonly process: OwnedProcess;

  constructor(settings: StackSettings) {
    this.dir = join(settings.stackDir, 'redis');
    this.logFile = join(this.dir, 'redis.log');
    this.url = settings.redisUrl;
    this.process = new OwnedProcess({
      name: this.name,
      dir: this.dir,
      pidFile: join(this.dir, 'redis.pid'),
      logFile: this.logFile,
      marker,
      answers: () => this.answers(),
    });
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    if (await this.answers()) return this.process.pid() ? 'already running' : 'external';
    const { hostname, port } = new URL(this.url);
    if (await canConnect(hostname, Number(port || 6379)))
      throw new Error(`redis: ${this.url} is taken by something that does not answer PING`);
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
    await this.process.start('redis-server', args, 20_000);
    return 'started';
  }

  down(): Promise<boolean> {
    return this.process.stop(10_000);
  }

  status(): Promise<ServiceStatus> {
    return this.process.status(this.url);
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
