import { provisionDevAccess } from './dev-access.js';
import { tail } from './processes.js';
import { stackDown, stackServices, stackStatus, stackUp } from './stack.js';
import { stackS3, stackSettings } from './stack-settings.js';

const usage =
  'usage: pnpm stack up [--brokers N] | down | status [--brokers N] | logs [kafka|kafka-N|mongo|postgres|redis|s3] [--lines N]';

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const brokers = rest.indexOf('--brokers');
  if (brokers >= 0) process.env.STACK_KAFKA_BROKERS = rest[brokers + 1] ?? '';
  const brokerCount = Number(process.env.STACK_KAFKA_BROKERS ?? 1);
  if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > 5) {
    console.error('--brokers takes a number from 1 to 5');
    return 2;
  }
  const started = performance.now();
  switch (command) {
    case 'up': {
      const { reports, env } = await stackUp({
        progress: (service, message) => console.log(`[${service}] ${message}`),
      });
      // Each service's own Kafka principal (its .env.example credential) and the demo agent's.
      provisionDevAccess();
      console.log('[kafka] the services and Agent A have their own principals (services/*/.env.example)');
      console.log(`\nstack up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      for (const report of reports)
        console.log(
          `  ${report.service.padEnd(9)} ${report.outcome.padEnd(16)} ${report.seconds.toFixed(1).padStart(5)} s  ${report.url}`,
        );
      console.log('\nconnection settings:');
      for (const [name, value] of Object.entries(env)) console.log(`  ${name}=${value}`);
      const s3 = stackS3();
      console.log(
        `\nS3 (path-style): endpoint ${s3.endpoint}, region ${s3.region}, access key ${s3.accessKeyId},` +
          ` secret ${s3.secretAccessKey}, bucket ${s3.bucket}`,
      );
      return 0;
    }
    case 'down': {
      const stopped = await stackDown();
      console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing of ours was running');
      return 0;
    }
    case 'status': {
      const statuses = await stackStatus();
      for (const s of statuses) {
        const owner = s.ours ? `started by the stack${s.pid ? ` (pid ${s.pid})` : ''}` : 'external';
        console.log(
          `  ${s.name.padEnd(9)} ${(s.answering ? 'up' : 'DOWN').padEnd(5)} ${s.url.padEnd(34)} ${owner}`,
        );
      }
      return statuses.every((s) => s.answering) ? 0 : 1;
    }
    case 'logs': {
      const lines = Number(rest[rest.indexOf('--lines') + 1] ?? 40) || 40;
      const wanted = rest.filter((arg, index) => !arg.startsWith('--') && !rest[index - 1]?.startsWith('--'));
      for (const service of stackServices(stackSettings())) {
        if (wanted.length && !wanted.includes(service.name)) continue;
        console.log(`==> ${service.logFile} <==\n${tail(service.logFile, lines)}\n`);
      }
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
