import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { readTopics } from '@wa-broker/infra/topic-reader';
import { createKafka } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { EchoAgent } from './echo-agent.js';
import type { System } from './system.js';
import type { SentMessage, Tally } from './tally.js';

/**
 * What a scenario that did not settle leaves behind, printed by the scenario so a red CI run says where the
 * flow stopped: whether the messages the agent never got reached the webhook topic (simulator/webhook side) or
 * not (router side), each consumer group's lag per partition, what the simulator still retries, and the last
 * warnings of the router and webhook.
 */
export async function stuckReport(
  system: System,
  agent: EchoAgent,
  sent: readonly SentMessage[],
  tally: Tally,
): Promise<string> {
  const lines = [`scenario did not settle: ${JSON.stringify(tally)}`];
  const section = async (title: string, body: () => Promise<string[]>) => {
    try {
      lines.push(`-- ${title}`, ...(await body()));
    } catch (error) {
      lines.push(`-- ${title}: ${String(error)}`);
    }
  };
  lines.push('-- echo agent consumer crashes', ...agent.crashes);
  await section('simulator', async () => [
    JSON.stringify(await (await fetch(`${system.simulator.url}/sim/stats`)).json()),
  ]);
  await section('sent wamids found in the webhook topic', async () => {
    const records = await readTopics(system.kafkaBrokers, [`${system.prefix}-webhook`], 30_000);
    const text = records.map((record) => record.value?.toString() ?? '').join('\n');
    const missing = sent.filter((message) => !text.includes(message.wamid));
    return [
      `${sent.length - missing.length} of ${sent.length}; absent: ${missing.map((m) => m.wamid).join(' ')}`,
    ];
  });
  await section('consumer group lag (partition: committed/end)', () => groupLag(system));
  await section('last router and webhook warnings', async () =>
    system
      .allLogs()
      .filter((line) => /"service":"(router|webhook)"/.test(line) && /"level":"(warn|error)"/.test(line))
      .slice(-40)
      .map((line) => line.slice(0, 400)),
  );
  return lines.join('\n');
}

async function groupLag(system: System): Promise<string[]> {
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: system.kafkaBrokers,
    clientId: 'e2e-stuck-report',
    logger: createLogger({ service: 'e2e', level: 'silent' }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const lines: string[] = [];
    for (const { groupId } of groups.filter((group) => group.groupId.startsWith(system.prefix))) {
      const described = await admin.describeGroups([groupId]);
      const state = described.groups[0]?.state ?? '?';
      const members = described.groups[0]?.members.length ?? 0;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const ends = new Map(
          (await admin.fetchTopicOffsets(topic)).map((end) => [end.partition, end.high] as const),
        );
        const lag = partitions
          .map((partition) => `${partition.partition}: ${partition.offset}/${ends.get(partition.partition)}`)
          .join(', ');
        lines.push(`${groupId} (${state}, ${members} members) ${topic}: ${lag}`);
      }
    }
    return lines;
  } finally {
    await admin.disconnect();
  }
}
