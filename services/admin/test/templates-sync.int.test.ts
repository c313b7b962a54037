import { eventually } from '@wa-broker/infra/poll';
import { templateKey } from '@wa-broker/shared/message-templates';
import { describe, expect, it } from 'vitest';
import { type ReadMessage, readTopic } from './support/kafka.js';
import { events, seeded, templateRigForFile, waba } from './support/template-rig.js';

/**
 * The template store's sync against the real simulator (Meta's template endpoints and webhooks) and the real
 * webhook service: every page of a WABA's listing, what Meta no longer lists, and a webhook naming a template the
 * store does not know.
 */
const rig = templateRigForFile();

describe('template sync', () => {
  it('stores every template of every page and publishes each once', async () => {
    // Saving the number (beforeAll) synced its WABA at once: every page, without waiting for a round.
    const listed = await rig.untilSynced();
    expect(listed.statusCode).toBe(200);
    const data = listed.json().data as Array<{ name: string; status: string; parameters: unknown }>;
    expect(data.map((template) => template.name).sort()).toEqual(seeded.map((seed) => seed.name).sort());
    expect(data[0]).toMatchObject({ status: 'APPROVED', parameters: { body: { names: ['1'] } } });

    const filtered = await rig.call(
      'GET',
      `/api/v2/templates?waba_id=${waba}&category=MARKETING&language=en_US`,
    );
    const expected = seeded.filter((seed, index) => seed.category === 'MARKETING' && index % 2 === 0);
    expect(filtered.json().data.map((t: { name: string }) => t.name)).toEqual(
      expected.map((seed) => seed.name),
    );

    const messages = await readTopic(rig.admin.config.TEMPLATE_CHANGES_TOPIC, (read) => read.length >= 230);
    expect(messages).toHaveLength(230);
    expect(new Set(messages.map((message) => message.key)).size).toBe(230);
    expect(events(messages).every((event) => event.type === 'synced')).toBe(true);
    const first = messages.find((message) => message.key === `${waba}:seed_000:en_US`);
    expect(first?.key).toBe(
      templateKey(events([first as ReadMessage])[0]?.template ?? { waba_id: '', name: '', language: '' }),
    );

    // Nothing changed at Meta: a sync of every page publishes nothing more.
    expect(await rig.admin.templates.syncWaba(waba)).toEqual({
      wabaId: waba,
      complete: true,
      listed: 230,
      changed: 0,
    });
  });

  it('marks a template Meta no longer lists DELETED after a complete sync', async () => {
    const gone = await fetch(`${rig.simulator.url}/${'v25.0'}/${waba}/message_templates?name=seed_001`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${rig.simToken}` },
    });
    expect(gone.status).toBe(200);
    expect(await rig.admin.templates.syncWaba(waba)).toMatchObject({ complete: true, changed: 1 });
    const byName = await rig.call('GET', `/api/v2/templates/${waba}/seed_001`);
    expect(byName.json().data).toEqual([expect.objectContaining({ name: 'seed_001', status: 'DELETED' })]);
  });
});

describe('template webhooks', () => {
  it('syncs the WABA when a webhook names a template the store does not know', async () => {
    // Created at Meta by someone else (Meta's Business Manager): only the review webhook tells the admin.
    const name = `made_elsewhere_${rig.id}`;
    const created = await fetch(`${rig.simulator.url}/v25.0/${waba}/message_templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rig.simToken}`, 'content-type': 'application/json' },
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
        const byName = await rig.call('GET', `/api/v2/templates/${waba}/${name}`);
        const [found] = byName.statusCode === 200 ? byName.json().data : [];
        return found?.status === 'APPROVED' ? found : undefined;
      },
      { what: 'the unknown template to be synced', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(template).toMatchObject({ name, category: 'UTILITY', quality: expect.any(String) });
  });
});
