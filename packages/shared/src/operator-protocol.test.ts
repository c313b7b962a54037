import { describe, expect, it } from 'vitest';
import { clientFrame, operatorReply, operatorReplyToOutbound, serverFrame } from './operator-protocol.js';

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

describe('operator protocol v1', () => {
  it('accepts a reply request and rejects frames of another version', () => {
    const frame = {
      v: 1,
      type: 'send_reply',
      wa_id: '5511',
      idempotency_key: 'key-12345',
      reply: { kind: 'text', text: 'Hello' },
    };
    expect(clientFrame.safeParse(frame).success).toBe(true);
    expect(clientFrame.safeParse({ ...frame, v: 2 }).success).toBe(false);
  });

  it('carries Meta’s list limits: 10 rows in all, unique ids, 24-character titles', () => {
    const list = { kind: 'list', body: 'Pick', button: 'Open' };
    const split = [
      { title: 'A', rows: rows(6) },
      { title: 'B', rows: rows(5).map((row) => ({ ...row, id: `b${row.id}` })) },
    ];
    expect(operatorReply.safeParse({ ...list, sections: split }).success).toBe(false);
    expect(operatorReply.safeParse({ ...list, sections: [{ title: 'A', rows: rows(10) }] }).success).toBe(
      true,
    );
    const duplicate = [{ title: 'A', rows: [rows(1)[0], rows(1)[0]] }];
    expect(operatorReply.safeParse({ ...list, sections: duplicate }).success).toBe(false);
    const longTitle = [{ title: 'A', rows: [{ id: 'x', title: 'x'.repeat(25) }] }];
    expect(operatorReply.safeParse({ ...list, sections: longTitle }).success).toBe(false);
  });

  it('carries Meta’s reply-button limits: at most 3, titles up to 20 characters', () => {
    const buttons = (count: number, title = 'OK') =>
      Array.from({ length: count }, (_, i) => ({ id: `b${i}`, title: `${title}${i}` }));
    expect(operatorReply.safeParse({ kind: 'buttons', body: 'b', buttons: buttons(3) }).success).toBe(true);
    expect(operatorReply.safeParse({ kind: 'buttons', body: 'b', buttons: buttons(4) }).success).toBe(false);
    expect(
      operatorReply.safeParse({ kind: 'buttons', body: 'b', buttons: buttons(1, 'x'.repeat(20)) }).success,
    ).toBe(false);
  });

  it('describes a pushed status with its reason', () => {
    const frame = {
      v: 1,
      type: 'status',
      wa_id: '5511',
      message_id: 'key-1',
      status: 'failed',
      error: { code: 'delivery_failed', text: 'More than 24 hours have passed.' },
      timestamp: '2026-01-10T12:00:00Z',
    };
    expect(serverFrame.safeParse(frame).success).toBe(true);
    expect(serverFrame.safeParse({ ...frame, status: 'played' }).success).toBe(false);
  });

  it('asks for the templates of a conversation or of a number, not both', () => {
    const ask = { v: 1, type: 'list_templates' };
    expect(clientFrame.safeParse({ ...ask, wa_id: '5511' }).success).toBe(true);
    expect(clientFrame.safeParse({ ...ask, phone_number_id: '1065' }).success).toBe(true);
    expect(clientFrame.safeParse(ask).success).toBe(false);
    expect(clientFrame.safeParse({ ...ask, wa_id: '5511', phone_number_id: '1065' }).success).toBe(false);
  });

  it('turns a template reply into Meta’s components, header and named variables included', () => {
    const old = { kind: 'template', name: 'hello', language: 'en_US', body_parameters: ['Ana'] } as const;
    expect(operatorReplyToOutbound(operatorReply.parse(old))).toEqual({
      message_type: 'template',
      template: {
        name: 'hello',
        language: 'en_US',
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
      },
    });
    const named = {
      ...old,
      header_parameters: ['#42'],
      parameter_names: { header: ['order'], body: ['first_name'] },
    };
    expect(operatorReplyToOutbound(operatorReply.parse(named)).template?.components).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: '#42', parameter_name: 'order' }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }] },
    ]);
    const mismatched = { ...old, parameter_names: { body: ['a', 'b'] } };
    expect(operatorReply.safeParse(mismatched).success).toBe(false);
  });

  it('sends a media header and the buttons’ values as Meta’s components', () => {
    const old = { kind: 'template', name: 'receipt', language: 'en_US', body_parameters: ['Ana'] } as const;
    const full = {
      ...old,
      header_media: { type: 'document', id: 'media-1', filename: 'receipt.pdf' },
      button_parameters: [
        { index: 2, text: 'SAVE25', sub_type: 'copy_code' },
        { index: 1, text: '48213' },
      ],
    };
    expect(operatorReplyToOutbound(operatorReply.parse(full)).template?.components).toEqual([
      {
        type: 'header',
        parameters: [{ type: 'document', document: { id: 'media-1', filename: 'receipt.pdf' } }],
      },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: '48213' }] },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '2',
        parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }],
      },
    ]);
    const image = {
      ...old,
      body_parameters: [],
      header_media: { type: 'image', id: 'm2', filename: 'x.png' },
    };
    expect(operatorReplyToOutbound(operatorReply.parse(image)).template?.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { id: 'm2' } }] },
    ]);
    const refused = (fields: object) => operatorReply.safeParse({ ...old, ...fields }).success;
    expect(refused({ header_media: { type: 'audio', id: 'm' } })).toBe(false);
    expect(refused({ header_media: { type: 'image', id: '' } })).toBe(false);
    expect(refused({ header_media: { type: 'image', id: 'm' }, header_parameters: ['x'] })).toBe(false);
    expect(refused({ button_parameters: [{ index: 0, text: '' }] })).toBe(false);
    expect(
      refused({
        button_parameters: [
          { index: 0, text: 'a' },
          { index: 0, text: 'b' },
        ],
      }),
    ).toBe(false);
  });
});
