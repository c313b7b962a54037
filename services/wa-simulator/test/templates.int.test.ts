import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../src/domain/webhook-payloads.js';
import { auth, secret, simulatorForFile, waba } from './support/simulator.js';

// Issue 19 §6: Meta's template management as the simulator plays it. The webhooks' fields are
// meta-2026-changes.md §1.8's; delivery and signing are whatsapp-cloud-api.md §2's.
const simulator = simulatorForFile({ SIM_TEMPLATE_REVIEW_MS: '1500' });
const base = `/v21.0/${waba}/message_templates`;

interface TemplateChange {
  field: string;
  value: Record<string, unknown>;
  entryId: string;
  signed: boolean;
}

/** Every template change the stand-in webhook received, with its entry id and whether its signature holds. */
function templateChanges(field?: string): TemplateChange[] {
  return simulator.received.flatMap((post) =>
    (
      post.body.entry as { id: string; changes: { field: string; value: Record<string, unknown> }[] }[]
    ).flatMap((entry) =>
      entry.changes
        .filter((change) => change.field !== 'messages' && (!field || change.field === field))
        .map((change) => ({
          ...change,
          entryId: entry.id,
          signed: post.signature === signatureHeader(post.raw, secret),
        })),
    ),
  );
}

const definition = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  language: 'en_US',
  category: 'UTILITY',
  components: [
    {
      type: 'BODY',
      text: 'Hello {{1}}, your parcel {{2}} is on its way.',
      example: { body_text: [['Jane', '#1']] },
    },
  ],
  ...extra,
});

const create = (body: unknown, headers = auth) =>
  simulator.app.inject({ method: 'POST', url: base, headers, payload: body as Record<string, unknown> });
const list = (query = '') => simulator.app.inject({ method: 'GET', url: `${base}${query}`, headers: auth });

describe('message templates (issue 19 §6)', () => {
  it('creates a template PENDING, then approves it after the review with a signed status webhook', async () => {
    const created = await create(definition('parcel_on_its_way'));
    expect(created.statusCode).toBe(200);
    const { id } = created.json();
    expect(created.json()).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'PENDING',
      category: 'UTILITY',
    });
    const pending = (await list('?name=parcel_on_its_way')).json().data;
    expect(pending).toEqual([expect.objectContaining({ id, status: 'PENDING', language: 'en_US' })]);

    const [approved] = await eventually(() => {
      const changes = templateChanges('message_template_status_update');
      return changes.length > 0 && changes;
    });
    // meta-2026-changes.md §1.8: event, message_template_id, _name, _language, reason, _category.
    expect(approved).toEqual({
      field: 'message_template_status_update',
      entryId: waba,
      signed: true,
      value: {
        event: 'APPROVED',
        message_template_id: Number(id),
        message_template_name: 'parcel_on_its_way',
        message_template_language: 'en_US',
        reason: 'NONE',
        message_template_category: 'UTILITY',
      },
    });
    expect((await list('?name=parcel_on_its_way')).json().data[0]).toMatchObject({ status: 'APPROVED' });
  });

  it('rejects a template whose name starts with reject_ (the simulator’s review rule)', async () => {
    const { id } = (await create(definition('reject_this_one'))).json();
    const change = await eventually(() => templateChanges('message_template_status_update')[0]);
    expect(change.value).toMatchObject({
      event: 'REJECTED',
      message_template_id: Number(id),
      reason: 'INVALID_FORMAT',
    });
    const [listed] = (await list('?name=reject_this_one')).json().data;
    expect(listed).toMatchObject({ status: 'REJECTED', rejected_reason: 'INVALID_FORMAT' });
  });

  it("refuses a bad definition with Meta's 100 naming the field, and a second language twice with 2388024", async () => {
    const bad = await create(definition('Bad Name'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 100,
      type: 'OAuthException',
      message: 'Invalid parameter',
      error_user_title: 'Invalid parameter: name',
      error_user_msg: expect.stringContaining('name: use lowercase letters'),
    });
    const noExample = await create(
      definition('no_example', { components: [{ type: 'BODY', text: 'Hi {{1}}, welcome.' }] }),
    );
    expect(noExample.json().error.error_user_msg).toContain('components[0].example');

    expect((await create(definition('twice'))).statusCode).toBe(200);
    const again = await create(definition('twice'));
    expect([again.statusCode, again.json().error.code, again.json().error.error_subcode]).toEqual([
      400, 100, 2388024,
    ]);
    expect((await create(definition('twice', { language: 'pt_BR' }))).statusCode).toBe(200);
  });

  it('checks the token like the other Graph routes (190) and an unknown WABA (100/33)', async () => {
    const badToken = await create(definition('any_name'), { authorization: 'Bearer nope' });
    expect([badToken.statusCode, badToken.json().error.code]).toEqual([401, 190]);
    const unknown = await simulator.app.inject({
      method: 'GET',
      url: '/v21.0/999/message_templates',
      headers: auth,
    });
    expect([unknown.json().error.code, unknown.json().error.error_subcode]).toEqual([100, 33]);
  });

  it('pages the list like Graph (cursors, next only while there is more), with filters and fields', async () => {
    for (let index = 0; index < 7; index += 1) await create(definition(`paged_${index}`));
    const names: string[] = [];
    let response = (await list('?name=paged_&limit=3&fields=name,status')).json();
    const pages = [response];
    while (response.paging?.next) {
      const next = new URL(response.paging.next);
      response = (await list(`?${next.searchParams}`)).json();
      pages.push(response);
    }
    for (const page of pages) names.push(...page.data.map((t: { name: string }) => t.name));
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((index) => `paged_${index}`));
    expect(pages.map((page) => page.data.length)).toEqual([3, 3, 1]);
    expect(pages[0].data[0]).toEqual({ id: expect.any(String), name: 'paged_0', status: 'PENDING' });
    expect(pages[0].paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(pages[2].paging).not.toHaveProperty('next');
    // `before` goes back a page.
    const back = (await list(`?name=paged_&limit=3&before=${pages[1].paging.cursors.before}`)).json();
    expect(back.data.map((t: { name: string }) => t.name)).toEqual(['paged_0', 'paged_1', 'paged_2']);

    // Default page size 25; the seeds are there, approved, with Meta's fields.
    const seeds = (await list('?status=APPROVED&category=UTILITY&language=en_US')).json();
    const hello = seeds.data.find((t: { name: string }) => t.name === 'hello_world');
    expect(hello).toMatchObject({
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      quality_score: { score: 'GREEN' },
      rejected_reason: 'NONE',
      components: expect.arrayContaining([expect.objectContaining({ type: 'BODY' })]),
    });
    expect(seeds.data.every((t: { status: string }) => t.status === 'APPROVED')).toBe(true);
  });

  it('deletes every language by name, or one by hsm_id; an unknown name is a 100', async () => {
    const english = (await create(definition('gone_soon'))).json().id;
    const portuguese = (await create(definition('gone_soon', { language: 'pt_BR' }))).json().id;
    const spanish = (await create(definition('gone_soon', { language: 'es' }))).json().id;
    const remove = (query: string) =>
      simulator.app.inject({ method: 'DELETE', url: `${base}?${query}`, headers: auth });

    expect((await remove(`name=gone_soon&hsm_id=${portuguese}`)).json()).toEqual({ success: true });
    const left = (await list('?name=gone_soon')).json().data.map((t: { id: string }) => t.id);
    expect(left).toEqual([english, spanish]);
    expect((await remove('name=gone_soon')).json()).toEqual({ success: true });
    expect((await list('?name=gone_soon')).json()).toEqual({ data: [] });
    const unknown = await remove('name=gone_soon');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 100]);
    expect(unknown.json().error.error_user_title).toBe('Message Template Not Found');
  });

  it('pauses a template whose quality drops to RED, with the quality and status webhooks (§1.8)', async () => {
    const hello = (await list('?name=hello_world')).json().data[0];
    const quality = await simulator.app.inject({
      method: 'POST',
      url: `/sim/templates/${hello.id}/quality`,
      payload: { score: 'RED' },
    });
    expect(quality.json().template).toMatchObject({ status: 'PAUSED', quality: 'RED' });
    await eventually(() => templateChanges().length === 2);
    const [qualityChange, statusChange] = templateChanges();
    expect(qualityChange).toMatchObject({
      field: 'message_template_quality_update',
      entryId: waba,
      signed: true,
      value: {
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
        message_template_id: Number(hello.id),
        message_template_name: 'hello_world',
        message_template_language: 'en_US',
      },
    });
    expect(statusChange?.value).toMatchObject({ event: 'PAUSED', message_template_id: Number(hello.id) });
    expect((await list('?name=hello_world')).json().data[0]).toMatchObject({
      status: 'PAUSED',
      quality_score: { score: 'RED' },
    });
  });

  it('changes status and category on request, each with its webhook; GET /sim/templates lists a WABA', async () => {
    const seeded = (
      await simulator.app.inject({ method: 'GET', url: `/sim/templates?waba_id=${waba}` })
    ).json();
    const followUp = seeded.templates.find((t: { name: string }) => t.name === 'follow_up');
    expect(followUp).toMatchObject({ status: 'APPROVED', parameters: { body: { names: ['1'] } } });
    const post = (path: string, payload: Record<string, unknown>) =>
      simulator.app.inject({ method: 'POST', url: `/sim/templates/${followUp.id}/${path}`, payload });
    expect((await post('status', { status: 'DISABLED', reason: 'SCAM' })).statusCode).toBe(200);
    expect((await post('category', { category: 'MARKETING' })).statusCode).toBe(200);
    expect((await post('status', { status: 'PENDING' })).statusCode).toBe(400);
    await eventually(() => templateChanges().length === 2);
    expect(templateChanges().map((change) => [change.field, change.value])).toEqual([
      ['message_template_status_update', expect.objectContaining({ event: 'DISABLED', reason: 'SCAM' })],
      [
        'template_category_update',
        expect.objectContaining({ previous_category: 'UTILITY', new_category: 'MARKETING' }),
      ],
    ]);
    const unknown = await simulator.app.inject({
      method: 'POST',
      url: '/sim/templates/1/status',
      payload: { status: 'APPROVED' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
