import { freePort, launchService, type RunningService } from '@wa-broker/infra/launch';
import { eventually } from '@wa-broker/infra/poll';
import { readThrough } from '@wa-broker/infra/read-through';
import type { TemplateChangeEvent } from '@wa-broker/shared/message-templates';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testConfig, uniqueId } from './admin.js';
import { deleteTopics, type ReadMessage } from './kafka.js';

export const waba = '102290129340398';
export const phoneNumberId = '106540352242922';
const appId = '555000111222333';

/** 230 seeded templates: three pages of Meta's 100. */
export const seeded = Array.from({ length: 230 }, (_, index) => ({
  name: `seed_${String(index).padStart(3, '0')}`,
  language: index % 2 === 0 ? 'en_US' : 'pt_BR',
  category: index % 3 === 0 ? 'MARKETING' : 'UTILITY',
  components: [
    { type: 'BODY', text: `Seed number ${index} says hello {{1}} today`, example: { body_text: [['Jane']] } },
  ],
}));

export const events = (messages: ReadMessage[]) =>
  messages.map((message) => message.value as TemplateChangeEvent);

export interface TemplateRig {
  /** This file's unique suffix, for the names of what its tests create. */
  id: string;
  /** A token the simulator takes for its number, to act at Meta without the admin. */
  simToken: string;
  admin: TestAdmin;
  webhook: RunningService;
  simulator: RunningService;
  /** The admin's API, with the right key. */
  call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse>;
  /** What the simulator (Meta) holds for the WABA, without going through the admin. */
  simTemplates(): Promise<Array<{ id: string; name: string; language: string; status: string }>>;
  /** Waits until the admin lists every seeded template: the sync the saved number started has finished. */
  untilSynced(): Promise<LightMyRequestResponse>;
}

/**
 * The template store's rig for one test file: the real webhook service (signed POSTs → webhook-business-events)
 * and the real simulator (Meta's template endpoints, its review and webhooks) as processes, the admin on them,
 * and the simulator's number saved through the API (which syncs its WABA at once). Started before the first
 * test; after the last, the admin's schema and topics, the webhook's topics and both processes are gone.
 */
export function templateRigForFile(): TemplateRig {
  const id = uniqueId();
  const simToken = `sim-token-${id}`;
  const appSecret = `app-secret-${id}`;
  const webhookTopics = [`webhook-test-${id}`, `webhook-raw-test-${id}`];
  let admin: TestAdmin | undefined;
  let webhook: RunningService | undefined;
  let simulator: RunningService | undefined;
  let started: TemplateRig | undefined;

  beforeAll(async () => {
    const config = testConfig();
    webhook = await launchService('webhook', {
      PORT: String(await freePort()),
      KAFKA_BROKERS: config.KAFKA_BROKERS.join(','),
      KAFKA_USERNAME: config.KAFKA_USERNAME ?? '',
      KAFKA_PASSWORD: config.KAFKA_PASSWORD ?? '',
      KAFKA_CLIENT_ID: `webhook-test-${id}`,
      META_VERIFY_TOKEN: 'verify',
      META_APP_SECRETS: appSecret,
      WEBHOOK_TOPIC: webhookTopics[0] as string,
      RAW_EVENT_LOG_TOPIC: webhookTopics[1] as string,
      BUSINESS_EVENTS_TOPIC: config.BUSINESS_EVENTS_TOPIC,
      WEBHOOK_TOPIC_PARTITIONS: '1',
    });
    simulator = await launchService(
      'wa-simulator',
      {
        PORT: String(await freePort()),
        SIM_WEBHOOK_URL: `${webhook.url}/webhook`,
        SIM_APP_SECRET: appSecret,
        SIM_ACCESS_TOKENS: simToken,
        SIM_WABA_ID: waba,
        SIM_PHONE_NUMBER_ID: phoneNumberId,
        SIM_TEMPLATES: JSON.stringify(seeded),
        SIM_TEMPLATE_REVIEW_MS: '1500',
        SIM_APP_ID: appId,
        // Its request log tells whether a header sample's upload reached it.
        LOG_LEVEL: 'info',
      },
      { health: '/healthz' },
    );
    const testAdmin = await startTestAdmin(
      { ...config, GRAPH_API_BASE_URL: simulator.url, META_APP_ID: appId },
      { secrets: {}, syncTemplatesOnSchedule: false },
    );
    admin = testAdmin;
    const sim = simulator;
    const call: TemplateRig['call'] = (method, url, payload) =>
      testAdmin.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
    started = {
      id,
      simToken,
      admin: testAdmin,
      webhook,
      simulator: sim,
      call,
      simTemplates: async () => {
        const response = await fetch(`${sim.url}/sim/templates?waba_id=${waba}`);
        return (
          (await response.json()) as {
            templates: Array<{ id: string; name: string; language: string; status: string }>;
          }
        ).templates;
      },
      untilSynced: () =>
        eventually(
          async () => {
            const answer = await call('GET', `/api/v2/templates?waba_id=${waba}`);
            return answer.json().data?.length === seeded.length ? answer : undefined;
          },
          { what: 'the sync the saved number started', timeoutMs: 30_000 },
        ),
    };
    const registered = await call('POST', '/api/v2/numbers', {
      phone_number_id: phoneNumberId,
      waba_id: waba,
      display_phone_number: '+1 555-010-0000',
      name: 'Templates line',
      token: simToken,
    });
    expect(registered.statusCode).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await admin?.close();
    await simulator?.stop();
    await webhook?.stop();
    await deleteTopics(webhookTopics);
  }, 60_000);

  return readThrough(() => started, 'the template rig');
}
