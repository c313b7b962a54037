import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@wa-broker/infra/poll';
import { readThrough } from '@wa-broker/infra/read-through';
import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type AppDeps, buildApp } from '../../src/app.js';
import { simulatorConfig } from '../../src/config.js';

export const secret = 'sim_test_secret';
export const token = 'sim_test_token';
export const auth = { authorization: `Bearer ${token}` };
export const number = '106540352242922';
/** The first number's WABA (`SIM_WABA_ID`'s default). */
export const waba = '102290129340398';

/** One signed POST the stand-in webhook received. */
export interface Received {
  body: Record<string, unknown>;
  raw: Buffer;
  signature: string;
}

/** A `statuses[]` item as Meta (and the simulator) sends it. */
export interface StatusItem {
  id: string;
  status: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  errors?: { code: number }[];
}

export type SimulatorUnderTest = Awaited<ReturnType<typeof startSimulator>>;

/** What a test may stand in for: the simulator's clock, how it fetches a send's media link, its logger. */
export type TestDeps = Partial<Pick<AppDeps, 'now' | 'fetchLink' | 'logger'>>;

/**
 * The simulator on a real HTTP receiver standing in for the webhook service: records signed POSTs and answers
 * what the test tells it to (`answers`, 200 when empty). `env` overrides the fast test settings.
 */
export async function startSimulator(env: Record<string, string> = {}, deps: TestDeps = {}) {
  const received: Received[] = [];
  const answers: number[] = [];
  const receiver: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({
        raw,
        body: JSON.parse(raw.toString()),
        signature: String(request.headers['x-hub-signature-256']),
      });
      response.statusCode = answers.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  const config = loadConfig(simulatorConfig, {
    PORT: '0',
    SIM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhook`,
    SIM_APP_SECRET: secret,
    SIM_ACCESS_TOKENS: token,
    SIM_THROUGHPUT_PER_SECOND: '20',
    SIM_PAIR_BURST: '5',
    SIM_STATUS_SENT_MS: '10',
    SIM_STATUS_DELIVERED_MS: '30',
    SIM_STATUS_READ_MS: '60',
    SIM_DELIVERY_BACKOFF_MS: '20',
    ...env,
  });
  const sim = await buildApp({ config, logger: createLogger({ service: 'test', level: 'silent' }), ...deps });
  const { app } = sim;

  return {
    sim,
    app,
    received,
    answers,
    statuses: (): StatusItem[] =>
      received.flatMap((post) =>
        (post.body.entry as { changes: { value: { statuses?: StatusItem[] } }[] }[]).flatMap((entry) =>
          entry.changes.flatMap((change) => change.value.statuses ?? []),
        ),
      ),
    userSays: (waId: string, text: string) =>
      app.inject({
        method: 'POST',
        url: `/sim/users/${waId}/messages`,
        payload: { type: 'text', text, name: 'Jane' },
      }),
    /** `POST /{version}/{phone-number-id}/messages` with a text; `extra` adds top-level fields. */
    sendText: (to: string, body = 'Hello from the agent', extra: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: `/v21.0/${number}/messages`,
        headers: auth,
        payload: { messaging_product: 'whatsapp', to, type: 'text', text: { body }, ...extra },
      }),
    /** Forgets users, limits and faults, waits until nothing is scheduled, then forgets what was received. */
    async reset(): Promise<void> {
      await app.inject({ method: 'POST', url: '/sim/reset' });
      await eventually(() => sim.delivery.idle() && sim.simulator.idle());
      received.length = 0;
      answers.length = 0;
    },
    async close(): Promise<void> {
      await app.close();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}

/**
 * One simulator for a whole test file: started before its first test, reset after each, closed after the last.
 */
export function simulatorForFile(env: Record<string, string> = {}, deps: TestDeps = {}): SimulatorUnderTest {
  let started: SimulatorUnderTest | undefined;
  beforeAll(async () => {
    started = await startSimulator(env, deps);
  });
  afterEach(() => started?.reset());
  afterAll(() => started?.close());
  return readThrough(() => started, 'the simulator');
}
