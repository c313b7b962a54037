import { eventually } from '@wa-broker/infra/poll';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTopic } from './support/kafka.js';
import { events, templateRigForFile, waba } from './support/template-rig.js';

/**
 * The template API against the real simulator (Meta's template endpoints, its review and webhooks) and the real
 * webhook service: create refused by Meta's rules before anything is submitted, create → PENDING → the review's
 * webhook → APPROVED, a header sample uploaded, delete.
 */
const rig = templateRigForFile();

// The tests below act on the seeded templates the admin stores: the number's first sync must be done.
beforeAll(async () => {
  await rig.untilSynced();
}, 60_000);

describe('template create', () => {
  it('refuses a definition Meta would refuse with 422 by field, and submits nothing', async () => {
    const response = await rig.call('POST', '/api/v2/templates', {
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
    expect((await rig.simTemplates()).some((template) => template.name === 'Order Update!')).toBe(false);
  });

  it('answers 404 for a WABA with no active number', async () => {
    const response = await rig.call('POST', '/api/v2/templates', {
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
    const response = await rig.call('POST', '/api/v2/templates', {
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
    const name = `order_update_${rig.id}`;
    const response = await rig.call('POST', '/api/v2/templates', {
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
    expect((await rig.simTemplates()).find((template) => template.name === name)).toMatchObject({
      id: created.id,
    });

    const approved = await eventually(
      async () => {
        const byName = await rig.call('GET', `/api/v2/templates/${waba}/${name}`);
        const [template] = byName.json().data;
        return template?.status === 'APPROVED' ? template : undefined;
      },
      {
        what: 'the review webhook to approve the template',
        timeoutMs: 60_000,
        intervalMs: 200,
        detail: () => rig.webhook.logs.slice(-10).join('\n'),
      },
    );
    expect(approved.id).toBe(created.id);

    const key = `${waba}:${name}:en_US`;
    const messages = await readTopic(rig.admin.config.TEMPLATE_CHANGES_TOPIC, (read) =>
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
  // Fastify's request lines name the route (the URL can name a user): every upload session the simulator opened.
  const uploadsSeen = () => rig.simulator.logs.filter((line) => line.includes('/:appId/uploads"')).length;

  it('uploads the PNG through the Resumable Upload API and submits the handle: stored PENDING', async () => {
    const name = `spring_image_${rig.id}`;
    const response = await rig.call(
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
    const atMeta = (await rig.simTemplates()).find((template) => template.name === name) as unknown as {
      id: string;
      components: Array<{ example?: { header_handle?: string[] } }>;
    };
    expect(atMeta).toMatchObject({ id: created.id });
    expect(atMeta.components[0]?.example?.header_handle).toEqual([handle]);
    const sample = await fetch(
      `${rig.simulator.url}/sim/header-samples?handle=${encodeURIComponent(handle ?? '')}`,
    );
    expect(sample.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await sample.arrayBuffer()).equals(png)).toBe(true);

    const stored = await rig.call('GET', `/api/v2/templates/${waba}/${name}`);
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
    const name = `spring_pdf_${rig.id}`;
    const before = uploadsSeen();
    const response = await rig.call(
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
    expect((await rig.simTemplates()).some((template) => template.name === name)).toBe(false);
    expect(uploadsSeen()).toBe(before);
    expect(before).toBeGreaterThan(0); // the log does show uploads: the previous test's
  });
});

describe('template delete', () => {
  it('deletes one language at Meta, stores it DELETED and publishes it', async () => {
    const response = await rig.call('DELETE', `/api/v2/templates/${waba}/seed_002?language=en_US`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([expect.objectContaining({ name: 'seed_002', status: 'DELETED' })]);
    expect(
      (await rig.simTemplates()).find(
        (template) => template.name === 'seed_002' && template.status !== 'DELETED',
      ),
    ).toBeUndefined();

    const key = `${waba}:seed_002:en_US`;
    const messages = await readTopic(rig.admin.config.TEMPLATE_CHANGES_TOPIC, (read) =>
      events(read.filter((message) => message.key === key)).some((event) => event.type === 'deleted'),
    );
    expect(events(messages.filter((message) => message.key === key)).at(-1)).toMatchObject({
      type: 'deleted',
      template: { status: 'DELETED' },
    });

    const again = await rig.call('DELETE', `/api/v2/templates/${waba}/seed_002?language=en_US`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toBe('template_not_found');
  });
});
