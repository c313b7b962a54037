import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  canConnect,
  livePid,
  removeFile,
  run,
  spawnDetached,
  stopPid,
  tail,
  waitUntil,
} from '../processes.js';
import type { StackSettings } from '../stack-settings.js';
import { ensureJars } from './maven-jars.js';
import type { ServiceStatus, StackService, UpOutcome } from './stack-service.js';

// Fixed so that a formatted data folder always matches the config we generate.
const clusterId = '4L6g3nShT-eMCtK--X86sw';
const mainClass = 'kafka.Kafka';

/** Apache Kafka 3.9 in KRaft mode, one node acting as broker and controller, jars from Maven Central. */
export class KafkaService implements StackService {
  readonly name = 'kafka';
  readonly url: string;
  readonly logFile: string;
  private readonly dir: string;
  private readonly pidFile: string;

  constructor(private readonly settings: StackSettings) {
    this.dir = join(settings.stackDir, 'kafka');
    this.logFile = join(this.dir, 'kafka.log');
    this.pidFile = join(this.dir, 'kafka.pid');
    this.url = `${settings.kafkaHost}:${settings.kafkaPort}`;
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    if (livePid(this.pidFile, mainClass) && (await this.answers())) return 'already running';
    if (await canConnect(this.settings.kafkaHost, this.settings.kafkaPort)) {
      if (await this.answers()) return 'external';
      throw new Error(`kafka: port ${this.settings.kafkaPort} is taken by something that is not Kafka`);
    }
    mkdirSync(this.dir, { recursive: true });
    const libDir = join(this.dir, 'lib');
    ensureJars(join(this.settings.repoRoot, 'infra/kafka/pom.xml'), libDir, progress);
    const configFile = this.writeServerProperties();
    const dataDir = join(this.dir, 'data');
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      progress('formatting KRaft storage');
      run('java', [
        '-Xmx256m',
        '-cp',
        `${libDir}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        configFile,
        '--ignore-formatted',
      ]);
    }
    progress('starting broker');
    const pid = spawnDetached(
      'java',
      [...this.jvmOptions(), '-cp', `${libDir}/*`, mainClass, configFile],
      this.logFile,
      this.pidFile,
      this.dir,
    );
    try {
      await waitUntil(
        'kafka',
        () => this.answers(),
        90_000,
        () => livePid(this.pidFile, mainClass) === pid,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- tail of ${this.logFile} ---\n${tail(this.logFile)}`);
    }
    return 'started';
  }

  async down(): Promise<boolean> {
    const pid = livePid(this.pidFile, mainClass);
    if (!pid) return false;
    await stopPid(pid, 30_000); // a controlled shutdown flushes the log, so topics come back intact
    removeFile(this.pidFile);
    return true;
  }

  async status(): Promise<ServiceStatus> {
    const pid = livePid(this.pidFile, mainClass);
    return {
      name: this.name,
      url: this.url,
      answering: await this.answers(),
      ours: pid !== undefined,
      ...(pid ? { pid } : {}),
    };
  }

  private jvmOptions(): string[] {
    return [
      `-Xms256m`,
      `-Xmx${this.settings.kafkaHeap}`,
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(this.settings.repoRoot, 'infra/kafka/log4j.properties')}`,
    ];
  }

  private writeServerProperties(): string {
    const { kafkaHost: host, kafkaPort: port, kafkaControllerPort: controllerPort } = this.settings;
    const lines = [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://${host}:${port}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      `log.dirs=${join(this.dir, 'data')}`,
      'num.partitions=3',
      'default.replication.factor=1',
      'min.insync.replicas=1',
      // Services create their topics explicitly (kafkajs#1563); auto-create would hide a missing ensureTopics.
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'group.initial.rebalance.delay.ms=0',
      'group.min.session.timeout.ms=1000',
      'num.network.threads=2',
      'num.io.threads=4',
      'num.recovery.threads.per.data.dir=1',
      'log.retention.hours=168',
      'delete.topic.enable=true',
    ];
    const file = join(this.dir, 'server.properties');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  private async answers(): Promise<boolean> {
    if (!(await canConnect(this.settings.kafkaHost, this.settings.kafkaPort))) return false;
    const kafka = new Kafka({
      brokers: [this.url],
      clientId: 'stack-probe',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
