import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { canConnect, run } from '../processes.js';
import { type StackSettings, stackKafkaSecurity } from '../stack-settings.js';
import { kafkaJvmOptions } from './kafka-jvm.js';
import { ensureKafkaTls, type KafkaTlsFiles, kafkaTlsProperties } from './kafka-tls.js';
import { ensureJars } from './maven-jars.js';
import { OwnedService } from './owned-service.js';
import type { UpOutcome } from './stack-service.js';

// Fixed so that a formatted data folder always matches the config we generate.
const clusterId = '4L6g3nShT-eMCtK--X86sw';
const mainClass = 'kafka.Kafka';

/** Where one Kafka node listens and keeps its data. */
export interface KafkaNodeSpec {
  nodeId: number;
  name: string;
  port: number;
  controllerPort: number;
  dir: string;
}

/** One node (`--brokers 1`, the default) or a cluster of N combined broker+controller nodes on consecutive ports. */
export function kafkaNodeSpecs(settings: StackSettings): KafkaNodeSpec[] {
  if (settings.kafkaBrokers === 1) {
    const dir = join(settings.stackDir, 'kafka');
    return [
      {
        nodeId: 1,
        name: 'kafka',
        port: settings.kafkaPort,
        controllerPort: settings.kafkaControllerPort,
        dir,
      },
    ];
  }
  return Array.from({ length: settings.kafkaBrokers }, (_, index) => ({
    nodeId: index + 1,
    name: `kafka-${index + 1}`,
    port: settings.kafkaPort + 2 * index,
    controllerPort: settings.kafkaPort + 2 * index + 1,
    dir: join(settings.stackDir, 'kafka-cluster', `node-${index + 1}`),
  }));
}

/** Apache Kafka 3.9 in KRaft mode (each node broker and controller), jars from Maven Central. */
export class KafkaService extends OwnedService {
  private readonly host: string;

  constructor(
    private readonly settings: StackSettings,
    private readonly node: KafkaNodeSpec = kafkaNodeSpecs(settings)[0] as KafkaNodeSpec,
    private readonly cluster: readonly KafkaNodeSpec[] = [node],
  ) {
    // A controlled shutdown flushes the log within the grace period, so topics come back intact.
    super({
      name: node.name,
      url: `${settings.kafkaHost}:${node.port}`,
      dir: node.dir,
      files: 'kafka',
      marker: mainClass,
      stopGraceMs: 30_000,
    });
    this.host = settings.kafkaHost;
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    if (await this.process.isRunning()) return 'already running';
    if (await canConnect(this.host, this.node.port)) {
      if (await this.answers()) return 'external';
      throw new Error(`${this.name}: port ${this.node.port} is taken by something that is not Kafka`);
    }
    mkdirSync(this.dir, { recursive: true });
    const libDir = join(this.settings.stackDir, 'kafka-lib');
    await ensureJars(join(this.settings.repoRoot, 'infra/kafka/pom.xml'), libDir, progress);
    const configFile = this.writeServerProperties(
      this.settings.kafkaTls ? ensureKafkaTls(this.settings) : undefined,
    );
    const dataDir = join(this.dir, 'data');
    const authMarker = join(dataDir, 'scram-bootstrapped');
    if (existsSync(join(dataDir, 'meta.properties')) && !existsSync(authMarker))
      throw new Error(
        `${this.name}: ${dataDir} was formatted before the stack required authentication (SASL/SCRAM); ` +
          `stop the stack and delete that folder (its topics are lost), then \`pnpm stack up\` again`,
      );
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
        // The super user's SCRAM credential is in the first metadata, so brokers authenticate to each other.
        '--add-scram',
        `SCRAM-SHA-512=[name=${this.settings.kafkaAdminUser},password=${this.settings.kafkaAdminPassword}]`,
      ]);
      writeFileSync(authMarker, 'SCRAM-SHA-512 super user added at format\n');
    }
    progress('starting broker');
    const args = [...kafkaJvmOptions(this.settings), '-cp', `${libDir}/*`, mainClass, configFile];
    await this.process.start('java', args, 90_000);
    return 'started';
  }

  /** Fault tests: kill -9 this node, as a crash would. */
  kill(): boolean {
    return this.process.kill();
  }

  private writeServerProperties(tls?: KafkaTlsFiles): string {
    const host = this.host;
    const replicas = this.cluster.length;
    const minIsr = replicas >= 3 ? 2 : 1;
    const { kafkaAdminUser: user, kafkaAdminPassword: password } = this.settings;
    const voters = this.cluster.map((node) => `${node.nodeId}@${host}:${node.controllerPort}`).join(',');
    const lines = [
      'process.roles=broker,controller',
      `node.id=${this.node.nodeId}`,
      `controller.quorum.voters=${voters}`,
      `listeners=CLIENT://${host}:${this.node.port},CONTROLLER://${host}:${this.node.controllerPort}`,
      `advertised.listeners=CLIENT://${host}:${this.node.port}`,
      `listener.security.protocol.map=CLIENT:${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'},CONTROLLER:SASL_PLAINTEXT`,
      ...(tls ? kafkaTlsProperties(tls, 'client') : []),
      'inter.broker.listener.name=CLIENT',
      'controller.listener.names=CONTROLLER',
      // Clients and brokers: SCRAM-SHA-512 (credentials in the metadata log, managed by the admin service).
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
      `listener.name.client.scram-sha-512.sasl.jaas.config=${jaas('scram.ScramLoginModule', user, password)}`,
      // Controllers cannot use SCRAM among themselves (its credentials live in what they replicate): PLAIN,
      // with the super user as the only account, on a listener no client is told about.
      'sasl.mechanism.controller.protocol=PLAIN',
      'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
      `listener.name.controller.plain.sasl.jaas.config=${jaas('plain.PlainLoginModule', user, password, `user_${user}="${password}"`)}`,
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      `super.users=User:${user}`,
      'allow.everyone.if.no.acl.found=false',
      `log.dirs=${join(this.dir, 'data')}`,
      'num.partitions=3',
      `default.replication.factor=${replicas}`,
      `min.insync.replicas=${minIsr}`,
      // Services create their topics explicitly (kafkajs#1563); auto-create would hide a missing ensureTopics.
      'auto.create.topics.enable=false',
      `offsets.topic.replication.factor=${replicas}`,
      'offsets.topic.num.partitions=1',
      `transaction.state.log.replication.factor=${replicas}`,
      `transaction.state.log.min.isr=${minIsr}`,
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

  protected async answers(): Promise<boolean> {
    if (!(await canConnect(this.host, this.node.port))) return false;
    const kafka = new Kafka({
      brokers: [this.url],
      clientId: 'stack-probe',
      ...stackKafkaSecurity(this.settings),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return (
        cluster.brokers.some((broker) => broker.nodeId === this.node.nodeId) && cluster.controller !== null
      );
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function jaas(module: string, username: string, password: string, extra = ''): string {
  return `org.apache.kafka.common.security.${module} required username="${username}" password="${password}"${extra ? ` ${extra}` : ''};`;
}
