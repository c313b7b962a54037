import { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { describe, expect, it } from 'vitest';
import { delivery, events, metadata, plan } from '../../test/support/plan-delivery.js';

// meta-2026-changes.md: the Calling API's calls, the app's message echoes (coexistence) and standby (handover).

describe('planDelivery, activity fields', () => {
  it('publishes each call, echo and standby item as an activity event keyed by its user', () => {
    const records = events(
      plan(
        delivery([
          {
            field: 'calls',
            value: {
              metadata,
              calls: [
                {
                  id: 'wacid.1',
                  from: '15550001111',
                  from_user_id: 'US.1',
                  to: '15550009999',
                  event: 'connect',
                  direction: 'USER_INITIATED',
                },
                {
                  id: 'wacid.2',
                  from: '15550009999',
                  to: '15550002222',
                  to_user_id: 'US.2',
                  event: 'terminate',
                  direction: 'BUSINESS_INITIATED',
                  status: 'COMPLETED',
                  duration: 42,
                },
              ],
            },
          },
          {
            field: 'smb_message_echoes',
            value: {
              metadata,
              message_echoes: [
                {
                  from: '15550009999',
                  to: '15550003333',
                  to_user_id: 'US.3',
                  id: 'wamid.e',
                  type: 'text',
                  text: { body: 'from the app' },
                },
              ],
            },
          },
          {
            field: 'standby',
            value: {
              metadata,
              messages: [
                {
                  from: '15550004444',
                  from_user_id: 'US.4',
                  id: 'wamid.s',
                  type: 'text',
                  text: { body: 'to the AI' },
                },
              ],
            },
          },
        ]),
      ),
    );
    expect(
      records.map((r) => [r.key, r.value.kind, r.value.kind === 'activity' ? r.value.field : '']),
    ).toEqual([
      ['US.1', 'activity', 'calls'],
      ['US.2', 'activity', 'calls'],
      ['US.3', 'activity', 'smb_message_echoes'],
      ['US.4', 'activity', 'standby'],
    ]);
    for (const r of records) expect(WebhookEvent.safeParse(r.value).error).toBeUndefined();
    expect(records[1]?.value.user).toEqual({ wa_id: '15550002222', user_id: 'US.2' });
  });
});
