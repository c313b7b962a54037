import { readThrough } from '@wa-broker/infra/read-through';
import { afterAll, beforeAll } from 'vitest';
import { AgentBus } from './agent-bus.js';
import { Phone } from './phone.js';
import { type System, type SystemOptions, startSystem } from './system.js';

/**
 * One system for a whole test file, with a phone on its simulator and an agent bus on its topics: started before
 * the first test, stopped after the last.
 */
export function systemForFile(options: SystemOptions = {}): { system: System; phone: Phone; bus: AgentBus } {
  let started: { system: System; phone: Phone; bus: AgentBus } | undefined;
  beforeAll(async () => {
    const system = await startSystem(options);
    const bus = new AgentBus(system.kafkaBrokers, system.agentTopics);
    started = { system, phone: new Phone(system.simulator.url), bus };
    await bus.start();
  }, 120_000);
  afterAll(async () => {
    await started?.bus.stop();
    await started?.system.stop();
  });
  return {
    system: readThrough(() => started?.system, 'the system'),
    phone: readThrough(() => started?.phone, 'the phone'),
    bus: readThrough(() => started?.bus, 'the agent bus'),
  };
}
