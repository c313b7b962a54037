import type { SourceCoordinates } from '@wa-broker/shared/dead-letter';
import { decodeJson } from '@wa-broker/shared/kafka';
import { userRef } from '@wa-broker/shared/log-privacy';
import type { Logger } from '@wa-broker/shared/logger';
import {
  type NotificationEvent,
  notificationSendRequest,
  toNotificationEvent,
} from '@wa-broker/shared/notifications';
import { addressOfKey } from '@wa-broker/shared/user-identity';
import type { GraphTemplate } from '../domain/graph-message.js';
import { sentCostRecord } from '../domain/message-costs.js';
import type {
  CancellationLookup,
  Clock,
  NotificationRef,
  NotificationSendStore,
  OutRecord,
  Publish,
} from '../domain/ports.js';
import { deadLetterRecord } from './dead-letter.js';
import { type ClaimedRunDeps, deliveryUnknownText, runClaimed } from './send-claim.js';
import { messagingLimitText, type SenderDeps, sendWithRetry } from './send-with-retry.js';

/** The claim namespace of notification sends (`out:notify:<recipient>:<attempt>`). */
export const notifySender = 'notify';

export interface NotificationSendDeps extends ClaimedRunDeps {
  notifications: NotificationSendStore;
  isCancelled: CancellationLookup;
  /** The sender with the notifications' (lower-priority) limiter. */
  sender: SenderDeps;
  publish: Publish;
  eventsTopic: string;
  deadLetterTopic: string;
  /** Where accepted sends go for the cost report (message-costs.ts). */
  messageCostsTopic: string;
  logger: Logger;
  now: Clock;
}

/**
 * Sends one template of a notification, once per (recipient, attempt) across replays and instances. A cancelled
 * notification's requests are skipped; the outcome (sent with its wamid, or failed with Meta's code) goes to
 * the events topic. Throws only on infrastructure failures (the record is replayed).
 */
export async function handleNotificationSend(
  record: SourceCoordinates & { value: Buffer | null },
  deps: NotificationSendDeps,
): Promise<void> {
  const { value, ...source } = record;
  const parsed = notificationSendRequest.safeParse(decodeJson(value));
  if (!parsed.success) {
    deps.logger.warn(
      { issues: parsed.error.issues.length, ...source },
      'unreadable notification send request',
    );
    const text = 'unreadable notification send request';
    const at = deps.now();
    await deps.publish([
      deadLetterRecord(deps.deadLetterTopic, { reason: 'unreadable', text, source, at, raw: value }),
    ]);
    return;
  }
  const request = parsed.data;
  const key = `${request.recipient_id}:${request.attempt}`;
  const event = (status: NotificationEvent['status'], extra: Partial<NotificationEvent> = {}) =>
    toNotificationEvent({
      ...ref(request),
      status,
      at: deps.now().toISOString(),
      source: 'router',
      ...extra,
    });
  const settled: OutRecord[] = [];
  const eventRecord = (value: NotificationEvent): OutRecord => ({
    topic: deps.eventsTopic,
    key: request.notification_id,
    value,
  });
  await runClaimed(deps, notifySender, key, {
    // A request is its own source: replayed after its claim was settled, its events are published again.
    source: `${deps.eventsTopic}:${key}`,
    waID: request.to,
    emit: (records) => settled.push(...records),
    // Notifications settle an abandoned send at once as failed (notify retries with a new attempt).
    onAbandoned: async () => ({
      state: 'failed',
      records: [eventRecord(event('failed', { error: { code: 0, title: deliveryUnknownText } }))],
    }),
    send: async (markSending) => {
      if (await deps.isCancelled(request.notification_id)) {
        deps.logger.info(
          {
            notification: request.notification_id,
            // Notify's recipient row, not a user id; the user by pseudonym.
            notification_recipient: request.recipient_id,
            user: userRef(request.to),
          },
          'cancelled notification not sent',
        );
        return { state: 'rejected', records: [] };
      }
      // A notification is business-initiated: the portfolio's messaging limit applies.
      if (!(await deps.sender.messagingLimit.admit(request.to))) {
        const title = messagingLimitText(deps.sender.messagingLimit.limit);
        return { state: 'failed', records: [eventRecord(event('failed', { error: { code: 0, title } }))] };
      }
      const body = { type: 'template' as const, template: request.template as GraphTemplate };
      // Notifications leave from the deployment's default number.
      const outcome = await sendWithRetry(
        deps.sender,
        deps.sender.numbers.defaultId,
        request.to,
        addressOfKey(request.to),
        body,
        markSending,
      );
      if (outcome.ok && outcome.wamid) {
        // The mapping first: a status webhook can arrive before the sent event is published.
        await deps.notifications.recordSent(outcome.wamid, ref(request));
        const cost = sentCostRecord(deps.messageCostsTopic, {
          wamid: outcome.wamid,
          phoneNumberId: deps.sender.numbers.defaultId,
          agentId: null,
          origin: 'notification',
          body,
          at: deps.now(),
        });
        return { state: 'sent', records: [eventRecord(event('sent', { wamid: outcome.wamid })), cost] };
      }
      const error = outcome.ok
        ? { code: 0, title: 'Meta accepted the message without a wamid' }
        : (outcome.metaError ?? { code: 0, title: outcome.reason });
      const { code, title } = error;
      const failed = event('failed', {
        error: { code, title, ...(error.details ? { details: error.details } : {}) },
      });
      return { state: outcome.ok ? 'sent' : 'failed', records: [eventRecord(failed)] };
    },
  });
  await deps.publish(settled);
}

const ref = (r: NotificationRef): NotificationRef => ({
  notification_id: r.notification_id,
  recipient_id: r.recipient_id,
  attempt: r.attempt,
  to: r.to,
});
