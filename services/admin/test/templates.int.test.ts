import { eventually } from '@wa-broker/infra/poll';
import { type TemplateChangeEvent, templateKey } from '@wa-broker/shared/message-templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testConfig, uniqueId } from './support/admin.js';
import { deleteTopics, type ReadMessage, readTopic } from './support/kafka.js';
import { type ServiceProcess, startService } from './support/processes.js';

/**
 * The template store against the real simulator (Meta's template endpoints, its review and webhooks) and the
 * real webhook service (signed POSTs → webhook-business-events): sync of several pages, create refused by
 * Meta's rules before anything is submitted, create → PENDING → the review's webhook → APPROVED, delete.
 */
const id = uniqueId();
const waba = '102290129340398';
const phoneNumberId = '106540352242922';
const simToken = `sim-token-${id}`;
const appId = '555000111222333';
const appSecret = `app-secret-${id}`;
const webhookTopics = [`webhook-test-${id}`, `webhook-raw-test-${id}`];
/** 230 seeded templates: three pages of Meta's 100. */
const seeded = Array.from({ length: 230 }, (_, index) => ({
  name: `seed_${String(index).padStart(3, '0')}`,
  language: index % 2 === 0 ? 'en_US' : 'pt_BR',
  category: index % 3 === 0 ? 'MARKETING' : 'UTILITY',
  components: [
    { type: 'BODY', text: `Seed number ${index} says hello {{1}} today`, example: { body_text: [['Jane']] } },
  ],
}));

let admin: TestAdmin;
let webhook: ServiceProcess;
let simulator: ServiceProcess;

beforeAll(async () => {
  const config = testConfig();
  webhook = await startService('webhook', {
    KAFKA_BROKERS: config.KAFKA_BROKERS.join(','),
    KAFKA_CLIENT_ID: `webhook-test-${id}`,
    META_VERIFY_TOKEN: 'verify',
    META_APP_SECRETS: appSecret,
    WEBHOOK_TOPIC: webhookTopics[0] as string,
    RAW_EVENT_LOG_TOPIC: webhookTopics[1] as string,
    BUSINESS_EVENTS_TOPIC: config.BUSINESS_EVENTS_TOPIC,
    WEBHOOK_TOPIC_PARTITIONS: '1',
  });
  simulator = await startService(
    'wa-simulator',
    {
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
    '/healthz',
  );
  admin = await startTestAdmin(
    { ...config, GRAPH_API_BASE_URL: simulator.url, META_APP_ID: appId },
    { secrets: {}, syncTemplatesOnSchedule: false },
  );
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

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  admin.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

/** What the simulator (Meta) holds for the WABA, without going through the admin. */
async function simTemplates(): Promise<
  Array<{ id: string; name: string; language: string; status: string }>
> {
  const response = await fetch(`${simulator.url}/sim/templates?waba_id=${waba}`);
  return (
    (await response.json()) as {
      templates: Array<{ id: string; name: string; language: string; status: string }>;
    }
  ).templates;
}

const events = (messages: ReadMessage[]) => messages.map((message) => message.value as TemplateChangeEvent);

describe('template sync', () => {
  it('stores every template of every page and publishes each once', async () => {
    // Saving the number (beforeAll) synced its WABA at once: every page, without waiting for a round.
    const listed = await eventually(
      async () => {
        const answer = await call('GET', `/api/v2/templates?waba_id=${waba}`);
        return answer.json().data?.length === 230 ? answer : undefined;
      },
      { what: 'the sync the saved number started', timeoutMs: 30_000 },
    );
    expect(listed.statusCode).toBe(200);
    const data = listed.json().data as Array<{ name: string; status: string; parameters: unknown }>;
    expect(data.map((template) => template.name).sort()).toEqual(seeded.map((seed) => seed.name).sort());
    expect(data[0]).toMatchObject({ status: 'APPROVED', parameters: { body: { names: ['1'] } } });

    const filtered = await call('GET', `/api/v2/templates?waba_id=${waba}&category=MARKETING&language=en_US`);
    const expected = seeded.filter((seed, index) => seed.category === 'MARKETING' && index % 2 === 0);
    expect(filtered.json().data.map((t: { name: string }) => t.name)).toEqual(
      expected.map((seed) => seed.name),
    );

    const messages = await readTopic(admin.config.TEMPLATE_CHANGES_TOPIC, (read) => read.length >= 230);
    expect(messages).toHaveLength(230);
    expect(new Set(messages.map((message) => message.key)).size).toBe(230);
    expect(events(messages).every((event) => event.type === 'synced')).toBe(true);
    const first = messages.find((message) => message.key === `${waba}:seed_000:en_US`);
    expect(first?.key).toBe(
      templateKey(events([first as ReadMessage])[0]?.template ?? { waba_id: '', name: '', language: '' }),
    );

    // Nothing changed at Meta: a sync of every page publishes nothing more.
    expect(await admin.templates.syncWaba(waba)).toEqual({
      wabaId: waba,
      complete: true,
      listed: 230,
      changed: 0,
    });
  });

  it('marks a template Meta no longer lists DELETED after a complete sync', async () => {
    const gone = await fetch(`${simulator.url}/${'v25.0'}/${waba}/message_templates?name=seed_001`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${simToken}` },
    });
    expect(gone.status).toBe(200);
    expect(await admin.templates.syncWaba(waba)).toMatchObject({ complete: true, changed: 1 });
    const byName = await call('GET', `/api/v2/templates/${waba}/seed_001`);
    expect(byName.json().data).toEqual([expect.objectContaining({ name: 'seed_001', status: 'DELETED' })]);
  });
});

describe('template create', () => {
  it('refuses a definition Meta would refuse with 422 by field, and submits nothing', async () => {
    const response = await call('POST', '/api/v2/templates', {
      waba_id: waba,
      name: 'Order Update!',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello {{1}}, your order {{2}} shipped' }],
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error).toBe('invalid_template');
    expect(body.fields).toEqual(
      expect.arrayContaining([
        { field: 'name', message: expect.any(String) },
        { field: 'components[0].example', message: expect.any(String) },
      ]),
    );
    expect((await simTemplates()).some((template) => template.name === 'Order Update!')).toBe(false);
  });

  it('answers 404 for a WABA with no active number', async () => {
    const response = await call('POST', '/api/v2/templates', {
      waba_id: '999000111',
      name: 'fine_name',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      error: 'waba_not_found',
      message: expect.stringContaining('999000111'),
    });
  });

  it('passes Meta’s own refusal on with Meta’s message', async () => {
    const response = await call('POST', '/api/v2/templates', {
      waba_id: waba,
      name: 'seed_000',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello again' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error: 'template_refused',
      message: expect.stringContaining('There is already en_US content for the template seed_000'),
    });
  });

  it('creates a PENDING template, then Meta’s review webhook makes it APPROVED and publishes it', async () => {
    const name = `order_update_${id}`;
    const response = await call('POST', '/api/v2/templates', {
      waba_id: waba,
      name,
      language: 'en_US',
      category: 'UTILITY',
      components: [
        {
          type: 'BODY',
          text: 'Hello {{1}}, your order {{2}} has shipped.',
          example: { body_text: [['Jane', '#12']] },
        },
      ],
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ name, status: 'PENDING', parameters: { body: { names: ['1', '2'] } } });
    expect((await simTemplates()).find((template) => template.name === name)).toMatchObject({
      id: created.id,
    });

    const approved = await eventually(
      async () => {
        const byName = await call('GET', `/api/v2/templates/${waba}/${name}`);
        const [template] = byName.json().data;
        return template?.status === 'APPROVED' ? template : undefined;
      },
      {
        what: 'the review webhook to approve the template',
        timeoutMs: 60_000,
        intervalMs: 200,
        detail: () => webhook.logs.slice(-10).join('\n'),
      },
    );
    expect(approved.id).toBe(created.id);

    const key = `${waba}:${name}:en_US`;
    const messages = await readTopic(admin.config.TEMPLATE_CHANGES_TOPIC, (read) =>
      events(read.filter((message) => message.key === key)).some((event) => event.type === 'status'),
    );
    expect(
      events(messages.filter((message) => message.key === key)).map((event) => [
        event.type,
        event.template.status,
      ]),
    ).toEqual([
      ['created', 'PENDING'],
      ['status', 'APPROVED'],
    ]);
  });
});

describe('template create with a header sample file (header_media)', () => {
  /** A 1×1 PNG. */
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  const imageTemplate = (name: string, headerMedia: Record<string, string>) => ({
    waba_id: waba,
    name,
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Our spring collection is here.' },
    ],
    header_media: headerMedia,
  });
  const uploadsSeen = () => simulator.logs.filter((line) => line.includes('/uploads?')).length;

  it('uploads the PNG through the Resumable Upload API and submits the handle: stored PENDING', async () => {
    const name = `spring_image_${id}`;
    const response = await call(
      'POST',
      '/api/v2/templates',
      imageTemplate(name, {
        data_base64: png.toString('base64'),
        mime_type: 'image/png',
        filename: 'spring.png',
      }),
    );
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ name, status: 'PENDING', parameters: { header: { format: 'IMAGE' } } });
    const [handle] = created.components[0].example.header_handle as string[];
    expect(handle).toMatch(/^4::/);

    // Meta (the simulator) took the definition with that handle, and the handle stands for these bytes.
    const atMeta = (await simTemplates()).find((template) => template.name === name) as unknown as {
      id: string;
      components: Array<{ example?: { header_handle?: string[] } }>;
    };
    expect(atMeta).toMatchObject({ id: created.id });
    expect(atMeta.components[0]?.example?.header_handle).toEqual([handle]);
    const sample = await fetch(
      `${simulator.url}/sim/header-samples?handle=${encodeURIComponent(handle ?? '')}`,
    );
    expect(sample.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await sample.arrayBuffer()).equals(png)).toBe(true);

    const stored = await call('GET', `/api/v2/templates/${waba}/${name}`);
    expect(stored.json().data).toEqual([
      expect.objectContaining({
        id: created.id,
        components: expect.arrayContaining([
          expect.objectContaining({ example: { header_handle: [handle] } }),
        ]),
      }),
    ]);
  });

  it('refuses a MIME type the format does not take with 422 by field, and nothing reaches the simulator', async () => {
    const name = `spring_pdf_${id}`;
    const before = uploadsSeen();
    const response = await call(
      'POST',
      '/api/v2/templates',
      imageTemplate(name, {
        data_base64: png.toString('base64'),
        mime_type: 'application/pdf',
        filename: 'spring.pdf',
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error: 'invalid_template',
      fields: [
        { field: 'header_media.mime_type', message: expect.stringContaining('image/jpeg, image/png') },
      ],
    });
    expect((await simTemplates()).some((template) => template.name === name)).toBe(false);
    expect(uploadsSeen()).toBe(before);
    expect(before).toBeGreaterThan(0); // the log does show uploads: the previous test's
  });
});

describe('template webhooks', () => {
  it('syncs the WABA when a webhook names a template the store does not know', async () => {
    // Created at Meta by someone else (Meta's Business Manager): only the review webhook tells the admin.
    const name = `made_elsewhere_${id}`;
    const created = await fetch(`${simulator.url}/v25.0/${waba}/message_templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${simToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Made in the Business Manager' }],
      }),
    });
    expect(created.status).toBe(200);
    const template = await eventually(
      async () => {
        const byName = await call('GET', `/api/v2/templates/${waba}/${name}`);
        const [found] = byName.statusCode === 200 ? byName.json().data : [];
        return found?.status === 'APPROVED' ? found : undefined;
      },
      { what: 'the unknown template to be synced', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(template).toMatchObject({ name, category: 'UTILITY', quality: expect.any(String) });
  });
});

describe('template delete', () => {
  it('deletes one language at Meta, stores it DELETED and publishes it', async () => {
    const response = await call('DELETE', `/api/v2/templates/${waba}/seed_002?language=en_US`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([expect.objectContaining({ name: 'seed_002', status: 'DELETED' })]);
    expect(
      (await simTemplates()).find(
        (template) => template.name === 'seed_002' && template.status !== 'DELETED',
      ),
    ).toBeUndefined();

    const key = `${waba}:seed_002:en_US`;
    const messages = await readTopic(admin.config.TEMPLATE_CHANGES_TOPIC, (read) =>
      events(read.filter((message) => message.key === key)).some((event) => event.type === 'deleted'),
    );
    expect(events(messages.filter((message) => message.key === key)).at(-1)).toMatchObject({
      type: 'deleted',
      template: { status: 'DELETED' },
    });

    const again = await call('DELETE', `/api/v2/templates/${waba}/seed_002?language=en_US`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toBe('template_not_found');
  });
});
