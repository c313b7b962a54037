import { readTopics } from '@wa-broker/infra/topic-reader';
import { EchoAgent } from './echo-agent.js';
import { restoreHealth } from './healthy.js';
import {
  connectUser,
  isComplete,
  type LoadPlan,
  runLoad,
  type SettleOptions,
  settle,
  users,
} from './load.js';
import { Phone } from './phone.js';
import { stuckReport } from './stuck-report.js';
import { type System, type SystemOptions, startSystem } from './system.js';
import { loadLimits } from './system-env.js';
import type { SentMessage, Tally } from './tally.js';

/** A running system with an echo agent and connected users, ready for load. */
export interface Scenario {
  system: System;
  phone: Phone;
  agent: EchoAgent;
  /** Users of one test, connected to the e2e agent. */
  connect(scenario: number, count: number): Promise<string[]>;
  /** Steady load while `faults` runs beside it; then waits for everything to arrive and counts. */
  load(plan: LoadPlan, faults?: () => Promise<void>, settle?: SettleOptions): Promise<Result>;
  /** Stops the echo agent (its consumer group keeps its offsets), and starts a fresh one on the same group. */
  stopAgent(): Promise<void>;
  restartAgent(): Promise<void>;
  /**
   * Before each scenario: every webhook, router and the agent backend alive and ready (a dead one relaunched),
   * the echo agent running. Resolves with what had to be restarted.
   */
  restoreHealth(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface Result {
  /** `tally.duplicatedToAgent` counts copies in the agent's `-in` topic: what the broker delivered. */
  tally: Tally;
  /**
   * Records the echo agent read a second time (a consumer whose offset commit failed while a broker died reads
   * them again: at-least-once, which the agent SDK dedupes by wamid). Not a copy in the topic.
   */
  agentRedeliveries: number;
  sent: SentMessage[];
  loadSeconds: number;
  settleSeconds: number;
}

export async function startScenario(options: SystemOptions = {}): Promise<Scenario> {
  const system = await startSystem({
    ...options,
    routerEnv: { ...loadLimits.router, ...options.routerEnv },
    simulatorEnv: { ...loadLimits.simulator, ...options.simulatorEnv },
  });
  const phone = new Phone(system.simulator.url);
  const newAgent = () => new EchoAgent(system.kafkaBrokers, system.agentTopics, `${system.prefix}-echo`);
  let agent = newAgent();
  await agent.start();
  const scenario: Scenario = {
    system,
    phone,
    get agent() {
      return agent;
    },
    connect: async (number, count) => {
      const ids = users(number, count);
      await Promise.all(ids.map((waId) => connectUser(phone, agent, waId)));
      return ids;
    },
    load: async (plan, faults, settleOptions) => {
      const started = Date.now();
      const errorsBefore = agent.errors.length;
      // Both run to their end even when one fails: a fault left half done (a router killed, not yet
      // relaunched) must not carry on beside the next scenario.
      const [load, fault] = await Promise.allSettled([runLoad(phone, plan), faults?.()]);
      if (fault.status === 'rejected') throw fault.reason;
      if (load.status === 'rejected') throw load.reason;
      const sent = load.value;
      const loaded = Date.now();
      const result = await settle(phone, agent, sent, { ...settleOptions, errorsBefore });
      if (!(settleOptions?.done ?? isComplete)(result))
        console.warn(await stuckReport(system, agent, sent, result));
      return {
        tally: { ...result, duplicatedToAgent: await copiesInTopic(system, sent) },
        agentRedeliveries: result.duplicatedToAgent,
        sent,
        loadSeconds: (loaded - started) / 1000,
        settleSeconds: (Date.now() - loaded) / 1000,
      };
    },
    stopAgent: () => agent.stop(),
    restartAgent: async () => {
      const { inbound, errors } = agent;
      await agent.stop();
      agent = newAgent();
      agent.inbound.push(...inbound);
      agent.errors.push(...errors);
      await agent.start();
    },
    restoreHealth: async () => {
      const relaunched = await restoreHealth(system);
      if (agent.running) return relaunched;
      await scenario.restartAgent();
      return [...relaunched, 'echo agent'];
    },
    stop: async () => {
      await agent.stop();
      await system.stop();
    },
  };
  return scenario;
}

async function copiesInTopic(system: System, sent: readonly SentMessage[]): Promise<number> {
  const wamids = new Set(sent.map((message) => message.wamid));
  const records = await readTopics(system.kafkaBrokers, [system.agentTopics.in]);
  const copies = records
    .map((record) => ({
      record,
      event: JSON.parse(record.value?.toString() ?? '{}') as { type?: string; wamid?: string },
    }))
    .filter(({ event }) => event.type === 'text' && wamids.has(event.wamid ?? ''));
  const byWamid = new Map<string, string[]>();
  for (const { record, event } of copies)
    byWamid.set(event.wamid ?? '', [
      ...(byWamid.get(event.wamid ?? '') ?? []),
      `${record.partition}@${record.offset}`,
    ]);
  const duplicated = [...byWamid].filter(([, places]) => places.length > 1);
  // A copy in the topic breaks exactly once: say where both copies are and what the routers said about replays.
  if (duplicated.length > 0)
    console.warn(
      [
        `copies in ${system.agentTopics.in}: ${duplicated.map(([wamid, places]) => `${wamid} at ${places.join(', ')}`).join('; ')}`,
        ...system
          .allLogs()
          .filter((line) => line.includes('"router"') && line.includes('published again'))
          .map((line) => line.slice(0, 400)),
        ...system
          .allLogs()
          .filter((line) => line.includes('"router"') && /"level":"(warn|error)"/.test(line))
          .slice(-40)
          .map((line) => line.slice(0, 400)),
      ].join('\n'),
    );
  return copies.length - byWamid.size;
}

/** Resolves after `ms`: the schedule of a fault during load (kill at 4 s, restart at 10 s). */
export function after(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The figures of a load run for the report (the counts, not every wamid). */
export function summary(result: Result): Omit<Result, 'sent'> {
  const { sent: _sent, ...figures } = result;
  return figures;
}
