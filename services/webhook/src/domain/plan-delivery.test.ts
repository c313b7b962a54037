import { BusinessEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../../test/support/meta-fixtures.js';
import { delivery, events, metadata, plan } from '../../test/support/plan-delivery.js';
import { countByKind } from './plan-delivery.js';

describe('planDelivery', () => {
  it.each(fixtureNames)('turns %s into events that satisfy the shared contract', (name) => {
    const records = plan(loadFixture(name).body);
    expect(events(records).length).toBeGreaterThan(0);
    for (const record of events(records)) expect(WebhookEvent.safeParse(record.value).error).toBeUndefined();
  });

  it('sends an item the event contract cannot carry to the business topic as invalid_item, not to the events', () => {
    const records = plan(
      delivery([
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata,
            messages: [{ id: ['not', 'a', 'string'], type: 'text', timestamp: '1761300000' }],
            statuses: [{ id: 'wamid.1', recipient_id: '1555' }],
          },
        },
      ]),
    );
    expect(events(records)).toEqual([]);
    const business = records.flatMap((record) => (record.stream === 'business' ? [record.value] : []));
    expect(business.map((event) => [event.field, BusinessEvent.safeParse(event).success])).toEqual([
      ['invalid_item', true],
      ['invalid_item', true],
    ]);
  });

  it('splits the batch fixture into one event per item across entries and changes, plus the raw body', () => {
    const fixture = loadFixture('inbound-batch.json');
    const records = plan(fixture.body);
    expect(events(records).map((r) => [r.key, r.value.kind])).toEqual([
      ['15550001111', 'message'],
      ['15550002222', 'message'],
      ['15550001111', 'status'],
    ]);
    const raw = records.at(-1);
    expect(raw).toMatchObject({ stream: 'raw', key: '106540352242922', value: fixture.body });
    expect(Object.fromEntries(countByKind(records))).toEqual({ message: 2, status: 1, raw: 1 });
  });

  it('carries metadata, contact profile, Meta time, receiving time and trace id on each event', () => {
    const [event] = events(plan(loadFixture('inbound-text.json').body));
    expect(event?.value).toMatchObject({
      v: 1,
      kind: 'message',
      message_type: 'text',
      trace_id: 't-1',
      received_at: '2025-10-24T10:00:00.000Z',
      occurred_at: '2025-10-24T10:00:00.000Z',
      waba_id: '102290129340398',
      phone_number_id: '106540352242922',
      metadata: { display_phone_number: '15550009999', phone_number_id: '106540352242922' },
      user: { wa_id: '15550001111' },
      contact: { profile: { name: 'Jane Doe' }, wa_id: '15550001111' },
      item: { text: { body: 'Hi, I need help with my order #48213' } },
    });
  });

  it.each([
    ['inbound-interactive-list-reply.json', 'interactive'],
    ['inbound-interactive-button-reply.json', 'interactive'],
    ['inbound-image.json', 'image'],
    ['inbound-location.json', 'location'],
    ['inbound-reaction.json', 'reaction'],
    ['inbound-reaction-removed.json', 'reaction'],
    ['inbound-unsupported.json', 'unsupported'],
  ])('classifies %s as %s', (name, type) => {
    const [event] = events(plan(loadFixture(name).body));
    expect(event?.value).toMatchObject({ kind: 'message', message_type: type });
  });

  it('keys statuses by recipient_id and system errors by phone_number_id', () => {
    expect(events(plan(loadFixture('status-failed.json').body)).map((r) => [r.key, r.value.kind])).toEqual([
      ['15550001111', 'status'],
    ]);
    const [error] = events(plan(loadFixture('system-errors.json').body));
    expect([error?.key, error?.value.kind, error?.value.user]).toEqual(['106540352242922', 'error', null]);
  });

  // meta-2026-changes.md §1.2: the BSUID comes in every webhook, the phone only when shared.
  it('keys users by the business-scoped user_id first, with or without a wa_id', () => {
    const message = {
      from_user_id: 'BR.99',
      id: 'wamid.1',
      timestamp: 1761300000,
      type: 'text',
      text: { body: 'hi' },
    };
    const status = { id: 'wamid.2', status: 'read', timestamp: '1761300001', recipient_user_id: 'BR.77' };
    const records = events(
      plan(
        delivery([
          {
            field: 'messages',
            value: {
              metadata,
              contacts: [{ profile: { name: 'A' }, user_id: 'BR.99' }],
              messages: [message],
            },
          },
          { field: 'messages', value: { metadata, statuses: [status] } },
          {
            field: 'messages',
            value: {
              metadata,
              contacts: [
                { profile: { name: 'B' }, wa_id: '5511', user_id: 'BR.55', parent_user_id: 'BR.ENT.5' },
              ],
              messages: [{ ...message, id: 'wamid.3', from: '5511', from_user_id: 'BR.55' }],
              statuses: [{ ...status, id: 'wamid.4', recipient_id: '5511', recipient_user_id: 'BR.55' }],
            },
          },
        ]),
      ),
    );
    expect(records.map((r) => [r.key, r.value.user])).toEqual([
      ['BR.99', { user_id: 'BR.99' }],
      ['BR.77', { user_id: 'BR.77' }],
      ['BR.55', { wa_id: '5511', user_id: 'BR.55', parent_user_id: 'BR.ENT.5' }],
      ['BR.55', { wa_id: '5511', user_id: 'BR.55' }],
    ]);
    expect(records[0]?.value.occurred_at).toBe('2025-10-24T10:00:00.000Z'); // numeric timestamp accepted
  });

  // meta-2026-changes.md §1.2: identity changes come as `type: "system"` messages with no `contacts` array. Keyed
  // by the new BSUID, they share a partition with (and come before) what the user sends next.
  it('passes an identity-change system message through, keyed by the user as they are now', () => {
    const system = {
      from: '15550001111',
      from_user_id: 'US.11111111111111111111',
      id: 'wamid.s',
      timestamp: '1761300000',
      type: 'system',
      system: {
        body: 'User Jane changed from 15550001111 to 15550002222',
        wa_id: '15550002222',
        type: 'user_changed_number',
        user_id: 'US.22222222222222222222',
        previous_user_id: 'US.11111111111111111111',
      },
    };
    const [record] = events(plan(delivery([{ field: 'messages', value: { metadata, messages: [system] } }])));
    expect(WebhookEvent.safeParse(record?.value).error).toBeUndefined();
    expect(record?.key).toBe('US.22222222222222222222');
    expect(record?.value).toMatchObject({
      kind: 'message',
      message_type: 'unknown',
      user: { wa_id: '15550002222', user_id: 'US.22222222222222222222' },
      item: system,
    });
  });

  // meta-2026-changes.md §1.5 (calls), §1.8 (smb_message_echoes, standby, messaging_handovers): one activity
  // event per item, keyed by the user it is about, so it reaches the agent that owns the conversation.
  it('passes unknown message types and shapes through as message_type unknown', () => {
    const odd = [
      { from: '1', id: 'w1', timestamp: '1', type: 'poll_vote', poll_vote: { option: 2 } },
      { from: '1', id: 'w2', timestamp: '1', type: 'text' }, // text without its body
    ];
    const records = events(plan(delivery([{ field: 'messages', value: { metadata, messages: odd } }])));
    expect(records.map((r) => (r.value.kind === 'message' ? r.value.message_type : r.value.kind))).toEqual([
      'unknown',
      'unknown',
    ]);
    expect(records[0]?.value.item).toEqual(odd[0]);
  });

  it('publishes every other field whole as a business event, keyed by number or WABA id', () => {
    const records = plan(
      delivery([
        { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
        { field: 'calls', value: { metadata, calls: [{ id: 'c1' }] } },
        { field: 'some_future_field', value: [1, 2] },
        { value: { no: 'field' } },
      ]),
    );
    const business = records.flatMap((r) => (r.stream === 'business' ? [r] : []));
    expect(business.map((r) => [r.key, r.value.field])).toEqual([
      ['1022', 'account_update'],
      ['1065', 'calls'],
      ['1022', 'some_future_field'],
      ['1022', '(missing)'],
    ]);
    for (const r of business) expect(BusinessEvent.safeParse(r.value).error).toBeUndefined();
    expect(business[1]?.value.value).toEqual({ metadata, calls: [{ id: 'c1' }] });
    expect(business[0]?.value.entry_time).toBeNull(); // entry.time may be missing
  });

  it('reads entry.time when present and keys the raw record by WABA id without a number', () => {
    const records = plan(delivery([{ field: 'account_update', value: {} }], { time: 1761300000 }));
    expect(records[0]).toMatchObject({ value: { entry_time: '2025-10-24T10:00:00.000Z' } });
    expect(records.at(-1)).toMatchObject({ stream: 'raw', key: '1022' });
  });
});
