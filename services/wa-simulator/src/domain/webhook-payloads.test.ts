import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contactOf, metaJson, signatureHeader, statusesChange, webhookBody } from './webhook-payloads.js';

const number = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550009999',
};
const at = new Date('2026-11-23T12:00:00Z');
const itemOf = (change: Record<string, unknown>) =>
  (change.value as { statuses: Record<string, unknown>[] }).statuses[0];

describe('metaJson and signatureHeader', () => {
  it("escapes non-ASCII like Meta (lowercase hex) so signatures match Meta's raw bytes", () => {
    const bytes = metaJson({ text: 'Olá 👍' });
    expect(bytes.toString()).toBe('{"text":"Ol\\u00e1 \\ud83d\\udc4d"}');
    expect(JSON.parse(bytes.toString())).toEqual({ text: 'Olá 👍' });
  });

  it('signs with HMAC-SHA256 of the exact bytes, as in the shared fixtures', () => {
    const dir = new URL('../../../../../shared/fixtures/meta/', import.meta.url);
    const { app_secret: secret, signatures } = JSON.parse(
      readFileSync(new URL('signatures.json', dir), 'utf8'),
    );
    const body = readFileSync(new URL('inbound-text-unicode.json', dir));
    expect(signatureHeader(body, secret)).toBe(signatures['inbound-text-unicode.json']);
    expect(signatureHeader(body, secret)).toBe(
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    );
  });
});

describe('statusesChange', () => {
  it('puts biz_opaque_callback_data beside id and status, only when the send set it', () => {
    const base = { wamid: 'wamid.1', at, recipient: { waId: '15550001111', userId: 'US.1' } };
    const failed = itemOf(
      statusesChange(number, [
        {
          ...base,
          status: 'failed',
          bizOpaqueCallbackData: 'claim-7',
          error: { code: 131047, title: 'Re-engagement message', details: 'window closed' },
        },
      ]),
    );
    expect(failed).toMatchObject({ id: 'wamid.1', status: 'failed', biz_opaque_callback_data: 'claim-7' });
    expect(itemOf(statusesChange(number, [{ ...base, status: 'read' }]))).not.toHaveProperty(
      'biz_opaque_callback_data',
    );
  });
});

describe('business-scoped user ids (meta-2026-changes.md §1.2)', () => {
  it('puts user_id and country_code on every contact, wa_id only when the phone is shared', () => {
    const jane = { waId: '15550001111', userId: 'US.13491208655302741918', countryCode: 'US', name: 'Jane' };
    expect(contactOf(jane)).toEqual({
      profile: { name: 'Jane' },
      wa_id: '15550001111',
      user_id: 'US.13491208655302741918',
      country_code: 'US',
    });
    const hidden = { userId: 'SG.11815799212886844830', countryCode: 'SG', name: 'Mei', username: 'mei.tan' };
    expect(contactOf(hidden)).toEqual({
      profile: { name: 'Mei', username: 'mei.tan' },
      user_id: 'SG.11815799212886844830',
      country_code: 'SG',
    });
  });

  it('names the recipient by recipient_user_id on every status, and by recipient_id only with a phone', () => {
    const status = { wamid: 'wamid.1', status: 'sent' as const, at };
    expect(
      itemOf(statusesChange(number, [{ ...status, recipient: { waId: '15550001111', userId: 'US.1' } }])),
    ).toMatchObject({ recipient_id: '15550001111', recipient_user_id: 'US.1' });
    const usernameOnly = itemOf(statusesChange(number, [{ ...status, recipient: { userId: 'SG.2' } }]));
    expect(usernameOnly).toMatchObject({ recipient_user_id: 'SG.2' });
    expect(usernameOnly).not.toHaveProperty('recipient_id');
  });
});

describe('webhookBody', () => {
  it("puts each change in the entry of its number's WABA, one entry per WABA in order of appearance", () => {
    const change = (id: string) => ({ field: 'messages', value: { id } });
    expect(
      webhookBody([
        { wabaId: '1001', change: change('a1') },
        { wabaId: '1002', change: change('b1') },
        { wabaId: '1001', change: change('a2') },
      ]),
    ).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        { id: '1001', changes: [change('a1'), change('a2')] },
        { id: '1002', changes: [change('b1')] },
      ],
    });
  });
});
