import { join } from 'node:path';
import { Redis } from 'ioredis';
import { canConnect } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import { OwnedService } from './owned-service.js';
import type { UpOutcome } from './stack-service.js';

const marker = 'redis-server';

/**
 * Redis: the server already running on our machines is used when it answers PING; otherwise a private
 * `redis-server` with AOF on (sessions survive a restart) is started in the stack folder on the configured port.
 */
export class RedisService extends OwnedService {
  constructor(settings: StackSettings) {
    const dir = join(settings.stackDir, 'redis');
    super({ name: 'redis', url: settings.redisUrl, dir, files: 'redis', marker, stopGraceMs: 10_000 });
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

  protected async answers(): Promise<boolean> {
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
