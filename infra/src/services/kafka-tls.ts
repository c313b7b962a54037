import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../processes.js';
import type { StackSettings } from '../stack-settings.js';

/** The stack's TLS material for Kafka (STACK_KAFKA_TLS): one self-signed certificate for 127.0.0.1/localhost. */
export interface KafkaTlsFiles {
  keystore: string;
  truststore: string;
  /** The certificate in PEM: what clients trust (KAFKA_TLS_CA_FILE). */
  caFile: string;
  /** Of both stores; local, like the stack's other secrets. */
  password: string;
}

export function kafkaTlsFiles(settings: StackSettings): KafkaTlsFiles {
  const dir = join(settings.stackDir, 'kafka-tls');
  return {
    keystore: join(dir, 'broker.p12'),
    truststore: join(dir, 'trust.p12'),
    caFile: join(dir, 'ca.pem'),
    password: 'wa-broker-local-tls',
  };
}

/** Creates the certificate with the JDK's keytool when missing (every node of a cluster shares it). */
export function ensureKafkaTls(settings: StackSettings): KafkaTlsFiles {
  const files = kafkaTlsFiles(settings);
  if (existsSync(files.keystore) && existsSync(files.truststore) && existsSync(files.caFile)) return files;
  mkdirSync(join(settings.stackDir, 'kafka-tls'), { recursive: true });
  const store = ['-storetype', 'PKCS12', '-storepass', files.password];
  run('keytool', [
    '-genkeypair',
    '-alias',
    'broker',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '3650',
    '-dname',
    'CN=wa-broker local Kafka',
    '-ext',
    `SAN=ip:${settings.kafkaHost},ip:127.0.0.1,dns:localhost`,
    '-keystore',
    files.keystore,
    '-keypass',
    files.password,
    ...store,
  ]);
  run('keytool', [
    '-exportcert',
    '-rfc',
    '-alias',
    'broker',
    '-keystore',
    files.keystore,
    '-file',
    files.caFile,
    ...store,
  ]);
  run('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'ca',
    '-file',
    files.caFile,
    '-keystore',
    files.truststore,
    ...store,
  ]);
  return files;
}

/** The broker settings of a TLS client listener named `listener` (lower case). */
export function kafkaTlsProperties(files: KafkaTlsFiles, listener: string): string[] {
  return [
    `listener.name.${listener}.ssl.keystore.type=PKCS12`,
    `listener.name.${listener}.ssl.keystore.location=${files.keystore}`,
    `listener.name.${listener}.ssl.keystore.password=${files.password}`,
    `listener.name.${listener}.ssl.key.password=${files.password}`,
    `listener.name.${listener}.ssl.truststore.type=PKCS12`,
    `listener.name.${listener}.ssl.truststore.location=${files.truststore}`,
    `listener.name.${listener}.ssl.truststore.password=${files.password}`,
    // Brokers talk to each other on this listener too: they check each other's certificate like clients do.
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${files.truststore}`,
    `ssl.truststore.password=${files.password}`,
  ];
}

export const readCa = (files: KafkaTlsFiles): string => readFileSync(files.caFile, 'utf8');
