import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.js';
import { type PrivateKafka, signedProbe, startPrivateKafka } from '../../src/private-kafka.js';
import { after, type Scenario, startScenario, summary } from '../../src/scenario.js';
import { zeroLoss } from '../../src/tally.js';

// Each test brings up a private Kafka on its own ports (the shared stack is never killed) and the broker on it.
let kafka: PrivateKafka | undefined;
let scenario: Scenario | undefined;
const rate = 20;

afterEach(async () => {
  await scenario?.stop();
  await kafka?.stop();
  scenario = undefined;
  kafka = undefined;
}, 120_000);

async function start(brokers: 1 | 3, kafkaPort: number, mongoPort: number) {
  const started = Date.now();
  kafka = await startPrivateKafka({ brokers, kafka: kafkaPort, mongo: mongoPort });
  scenario = await startScenario({
    kafkaBrokers: kafka.brokers,
    replicationFactor: kafka.replicationFactor,
    agentBackend: false,
  });
  return { kafka, scenario, startSeconds: (Date.now() - started) / 1000 };
}

/** Each node's `min.insync.replicas`: with acks=all, a write needs two copies, so a killed node loses nothing. */
async function minInsyncReplicas(brokers: string): Promise<(string | undefined)[]> {
  const admin = new Kafka({
    ...testKafkaSecurity(),
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { brokers: nodes } = await admin.describeCluster();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: nodes.map((node) => ({
        type: 4, // BROKER
        name: String(node.nodeId),
        configNames: ['min.insync.replicas'],
      })),
    });
    return resources.map((r) => r.configEntries[0]?.configValue);
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka faults under steady load', () => {
  it('kill -9 one broker of three, then restart it: 0 lost, 0 duplicated to agents, 0 duplicate sends', async () => {
    const { kafka, scenario, startSeconds } = await start(3, 31192, 27051);
    // What `pnpm stack up --brokers 3` promises (infra/src/stack-settings.ts): three nodes, RF 3, min ISR 2.
    expect(kafka.brokers.split(',')).toHaveLength(3);
    expect(kafka.replicationFactor).toBe(3);
    expect(await minInsyncReplicas(kafka.brokers)).toEqual(['2', '2', '2']);
    const users = await scenario.connect(1, 10);
    let downSeconds = 0;
    const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 12_000 }, async () => {
      await after(3000);
      const killed = Date.now();
      kafka.kill(1);
      await after(4000);
      await kafka.restart(1);
      downSeconds = (Date.now() - killed) / 1000;
    });
    recordFigures('kafka-cluster-broker-kill', {
      brokers: 3,
      ratePerSecond: rate,
      users: users.length,
      startSeconds,
      brokerDownSeconds: downSeconds,
      ...summary(result),
    });
    expect(result.tally).toMatchObject(zeroLoss);
  }, 300_000);

  it('kill -9 the only broker: the webhook answers 503 while it is down, and after restart 0 lost', async () => {
    const { kafka, scenario, startSeconds } = await start(1, 31292, 27052);
    const users = await scenario.connect(2, 10);
    const statuses: number[] = [];
    let downSeconds = 0;
    const result = await scenario.load({ users, ratePerSecond: rate, durationMs: 10_000 }, async () => {
      await after(3000);
      const killed = Date.now();
      kafka.kill(0);
      statuses.push(await probeWebhook(scenario));
      await after(2000);
      statuses.push(await probeWebhook(scenario));
      await kafka.restart(0);
      downSeconds = (Date.now() - killed) / 1000;
    });
    const simStats = (await (await fetch(`${scenario.system.simulator.url}/sim/stats`)).json()) as {
      delivery: { retries: number; failed: number };
    };
    recordFigures('kafka-single-broker-kill', {
      brokers: 1,
      ratePerSecond: rate,
      users: users.length,
      startSeconds,
      brokerDownSeconds: downSeconds,
      webhookAnswersWhileDown: statuses,
      simulatorRetries: simStats.delivery.retries,
      simulatorGaveUp: simStats.delivery.failed,
      ...summary(result),
    });
    expect(statuses).toEqual([503, 503]);
    expect(simStats.delivery.retries).toBeGreaterThan(0);
    expect(simStats.delivery.failed).toBe(0);
    if (result.tally.lostReplies > 0)
      console.warn(
        scenario.system
          .allLogs()
          .filter((line) => line.includes('"router"') && /"level":"(warn|error)"/.test(line))
          .slice(-60)
          .join('\n'),
      );
    expect(result.tally).toMatchObject(zeroLoss);
  }, 300_000);
});

/** What the webhook answers Meta right now: a signed status delivery, as Meta would POST it. */
async function probeWebhook(scenario: Scenario): Promise<number> {
  const probe = signedProbe(scenario.system.appSecret);
  const response = await fetch(`${scenario.system.webhook.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': probe.signature },
    body: probe.body,
  });
  return response.status;
}
