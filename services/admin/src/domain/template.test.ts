import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { describe, expect, it } from 'vitest';
import {
  applyTemplateWebhook,
  diffSync,
  type GraphTemplate,
  graphFailureKind,
  readTemplateWebhook,
  recordFromGraph,
} from './template.js';

const waba = '102290129340398';
const before = new Date('2026-03-01T10:00:00Z');
const now = new Date('2026-03-01T11:00:00Z');

const graphEntry = (overrides: Partial<GraphTemplate> = {}): GraphTemplate => ({
  id: '900001',
  name: 'order_update',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  quality_score: { score: 'GREEN' },
  rejected_reason: 'NONE',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1'] } },
    { type: 'BODY', text: 'Hi {{1}}, order {{2}} shipped.', example: { body_text: [['Jane', '#1']] } },
    {
      type: 'BUTTONS',
      buttons: [{ type: 'URL', text: 'Track', url: 'https://x.test/{{1}}', example: ['a'] }],
    },
  ],
  ...overrides,
});

function record(overrides: Partial<GraphTemplate> = {}, at = before): MessageTemplateRecord {
  const read = recordFromGraph(waba, graphEntry(overrides), at);
  if (!read.ok) throw new Error(read.problem);
  return read.template;
}

describe('recordFromGraph', () => {
  it('reads Meta’s listing entry into the stored record, with the parameter spec', () => {
    const template = record();
    expect(template).toMatchObject({
      id: '900001',
      waba_id: waba,
      status: 'APPROVED',
      category: 'UTILITY',
      quality: 'GREEN',
      reason: null,
      parameter_format: 'POSITIONAL',
      updated_at: before.toISOString(),
    });
    expect(template.parameters).toEqual({
      header: { format: 'TEXT', names: ['1'] },
      body: { names: ['1', '2'] },
      buttons: [{ index: 0, type: 'URL', names: ['1'] }],
    });
  });

  it('keeps Meta’s rejection reason and defaults what Meta left out', () => {
    const template = record({
      status: 'REJECTED',
      rejected_reason: 'INVALID_FORMAT',
      quality_score: undefined,
      parameter_format: undefined,
    });
    expect(template).toMatchObject({
      reason: 'INVALID_FORMAT',
      quality: 'UNKNOWN',
      parameter_format: 'POSITIONAL',
    });
  });

  it('refuses an entry it cannot read', () => {
    expect(recordFromGraph(waba, graphEntry({ status: 'WHATEVER' }), now).ok).toBe(false);
    expect(recordFromGraph(waba, graphEntry({ id: undefined }), now).ok).toBe(false);
    expect(recordFromGraph(waba, graphEntry({ components: [{ type: 'NOPE' }] }), now).ok).toBe(false);
  });
});

describe('diffSync', () => {
  it('returns new and changed templates only, stamped now', () => {
    const same = record();
    const changed = record({ id: '900002', name: 'welcome', status: 'PENDING' });
    const stored = [same, changed];
    const listed = [record({}, now), record({ id: '900002', name: 'welcome', status: 'APPROVED' }, now)];
    const added = record({ id: '900003', name: 'promo', category: 'MARKETING' }, now);
    const result = diffSync(stored, [...listed, added], true, now);
    expect(result.map((t) => [t.name, t.status, t.updated_at])).toEqual([
      ['welcome', 'APPROVED', now.toISOString()],
      ['promo', 'APPROVED', now.toISOString()],
    ]);
  });

  it('marks a template missing from a complete listing DELETED, once', () => {
    const gone = record({ id: '900004', name: 'gone' });
    const alreadyDeleted = record({ id: '900005', name: 'old', status: 'DELETED' });
    const result = diffSync([record(), gone, alreadyDeleted], [record({}, now)], true, now);
    expect(result).toEqual([{ ...gone, status: 'DELETED', updated_at: now.toISOString() }]);
  });

  it('never deletes on an incomplete listing', () => {
    const gone = record({ id: '900004', name: 'gone' });
    expect(diffSync([record(), gone], [], false, now)).toEqual([]);
  });

  it('treats another language as another template', () => {
    const result = diffSync(
      [record()],
      [record({}, now), record({ id: '900006', language: 'pt_BR' }, now)],
      true,
      now,
    );
    expect(result.map((t) => t.language)).toEqual(['pt_BR']);
  });
});

describe('template webhooks', () => {
  it('reads the three fields by Meta’s template id', () => {
    expect(
      readTemplateWebhook('message_template_status_update', {
        event: 'REJECTED',
        message_template_id: 900001,
        message_template_name: 'order_update',
        message_template_language: 'en_US',
        reason: 'INCORRECT_CATEGORY',
      }),
    ).toEqual({ kind: 'status', templateId: '900001', status: 'REJECTED', reason: 'INCORRECT_CATEGORY' });
    expect(
      readTemplateWebhook('message_template_quality_update', {
        previous_quality_score: 'GREEN',
        new_quality_score: 'YELLOW',
        message_template_id: '900001',
      }),
    ).toEqual({ kind: 'quality', templateId: '900001', quality: 'YELLOW' });
    expect(
      readTemplateWebhook('template_category_update', {
        message_template_id: 900001,
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
    ).toEqual({ kind: 'category', templateId: '900001', category: 'MARKETING' });
  });

  it('ignores other fields and reports unreadable template events', () => {
    expect(readTemplateWebhook('account_update', {})).toBeUndefined();
    expect(readTemplateWebhook('message_template_status_update', { event: 'APPROVED' })).toHaveProperty(
      'problem',
    );
    expect(
      readTemplateWebhook('message_template_status_update', { event: 'MAYBE', message_template_id: 1 }),
    ).toHaveProperty('problem');
  });

  it('applies each change, and nothing for a redelivery', () => {
    const pending = record({ status: 'PENDING' });
    const approved = applyTemplateWebhook(
      pending,
      { kind: 'status', templateId: '900001', status: 'APPROVED', reason: null },
      now,
    );
    expect(approved).toEqual({
      type: 'status',
      template: { ...pending, status: 'APPROVED', updated_at: now.toISOString() },
    });
    expect(
      applyTemplateWebhook(
        approved?.template as MessageTemplateRecord,
        { kind: 'status', templateId: '900001', status: 'APPROVED', reason: null },
        now,
      ),
    ).toBeUndefined();
    expect(
      applyTemplateWebhook(pending, { kind: 'quality', templateId: '900001', quality: 'RED' }, now),
    ).toMatchObject({
      type: 'quality',
      template: { quality: 'RED' },
    });
    expect(
      applyTemplateWebhook(pending, { kind: 'category', templateId: '900001', category: 'MARKETING' }, now),
    ).toMatchObject({ type: 'category', template: { category: 'MARKETING' } });
  });
});

describe('graphFailureKind', () => {
  it('maps Meta’s rate limits, refusals and outages', () => {
    expect(graphFailureKind({ httpStatus: 400, code: 80007, message: '' })).toBe('rate_limited');
    expect(graphFailureKind({ httpStatus: 400, code: 100, message: '' })).toBe('refused');
    expect(graphFailureKind({ httpStatus: 401, code: 190, message: '' })).toBe('unavailable');
    expect(graphFailureKind({ httpStatus: 0, message: 'ECONNREFUSED' })).toBe('unavailable');
    expect(graphFailureKind({ httpStatus: 500, message: '' })).toBe('unavailable');
  });
});
