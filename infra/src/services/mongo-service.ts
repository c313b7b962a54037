import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { canConnect } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import { ensureJars } from './maven-jars.js';
import { OwnedService } from './owned-service.js';
import type { UpOutcome } from './stack-service.js';

const marker = 'MongoWireServer';

/** mongo-java-server (MongoDB wire protocol) with its H2 backend writing to a file in the stack folder. */
export class MongoService extends OwnedService {
  constructor(private readonly settings: StackSettings) {
    const dir = join(settings.stackDir, 'mongo');
    const url = `mongodb://${settings.mongoHost}:${settings.mongoPort}`;
    // The shutdown hook closes the H2 store within the grace period, flushing the last writes.
    super({ name: 'mongo', url, dir, files: 'mongo', marker, stopGraceMs: 10_000 });
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    if (await this.process.isRunning()) return 'already running';
    if (await canConnect(this.settings.mongoHost, this.settings.mongoPort)) {
      if (await this.answers()) return 'external';
      throw new Error(`mongo: port ${this.settings.mongoPort} is taken by something that is not MongoDB`);
    }
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const libDir = join(this.dir, 'lib');
    await ensureJars(join(this.settings.repoRoot, 'infra/mongo/pom.xml'), libDir, progress);
    progress('starting mongo-java-server');
    const source = join(this.settings.repoRoot, 'infra/mongo/MongoWireServer.java');
    const args = ['-Xmx384m', '-XX:+UseSerialGC', '-cp', `${libDir}/*`, source];
    args.push(
      this.settings.mongoHost,
      String(this.settings.mongoPort),
      join(this.dir, 'data', 'mongo.mv.db'),
    );
    await this.process.start('java', args, 60_000);
    return 'started';
  }

  protected async answers(): Promise<boolean> {
    if (!(await canConnect(this.settings.mongoHost, this.settings.mongoPort))) return false;
    // No serverApi and no credentials: mongo-java-server speaks legacy hello and has no auth.
    const client = new MongoClient(this.url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.connect();
      const reply = await client.db('admin').command({ ping: 1 });
      return reply.ok === 1;
    } catch {
      return false;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}
