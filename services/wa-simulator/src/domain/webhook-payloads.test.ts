import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundMessageItem, metaJson, signatureHeader, statusesChange } from './webhook-payloads.js';

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

describe('inboundMessageItem', () => {
  const user = { waId: '15550001111', name: 'Jane' };
  const at = new Date('2026-11-23T12:00:00Z');

  it("builds Meta's interactive list_reply with the menu message as context", () => {
    expect(
      inboundMessageItem(user, 'wamid.1', at, {
        type: 'list_reply',
        id: 'sales',
        title: 'Sales',
        context_message_id: 'wamid.menu',
      }),
    ).toEqual({
      from: '15550001111',
      id: 'wamid.1',
      timestamp: '1795435200',
      context: { from: '15550001111', id: 'wamid.menu' },
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'sales', title: 'Sales' } },
    });
  });

  it('omits the emoji of a removed reaction', () => {
    expect(
      inboundMessageItem(user, 'wamid.2', at, { type: 'reaction', message_id: 'wamid.x' }).reaction,
    ).toEqual({ message_id: 'wamid.x' });
  });
});

describe('statusesChange', () => {
  const number = {
    wabaId: '102290129340398',
    phoneNumberId: '106540352242922',
    displayPhoneNumber: '15550009999',
  };
  const at = new Date('2026-11-23T12:00:00Z');
  const itemOf = (change: Record<string, unknown>) =>
    (change.value as { statuses: Record<string, unknown>[] }).statuses[0];

  it('puts biz_opaque_callback_data beside id and status, only when the send set it', () => {
    const base = { wamid: 'wamid.1', at, recipientId: '15550001111' };
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
