import type { Producer } from 'kafkajs';
import type { NotificationBus } from '../domain/ports.js';

export interface BusTopics {
  send: string;
  events: string;
}

/**
 * Send requests are keyed by the recipient's phone (one user's sends stay in order on one router partition),
 * events by notification id (a follower reads one notification's changes in order).
 */
export function createNotificationBus(producer: Producer, topics: BusTopics): NotificationBus {
  return {
    async publishSends(requests) {
      if (requests.length === 0) return;
      await producer.send({
        topic: topics.send,
        acks: -1,
        messages: requests.map((r) => ({ key: r.to, value: JSON.stringify(r) })),
      });
    },
    async publishEvents(events) {
      if (events.length === 0) return;
      await producer.send({
        topic: topics.events,
        acks: -1,
        messages: events.map((e) => ({ key: e.notification_id, value: JSON.stringify(e) })),
      });
    },
  };
}
