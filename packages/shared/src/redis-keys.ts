/**
 * Redis keys one service writes and another reads, each built by one function both sides call, so a renamed
 * key cannot leave the reader looking in the wrong place. `prefix` is the router's `REDIS_KEY_PREFIX` (`wa:`),
 * which notify shares for these keys. Keys a service only reads back itself stay in that service's adapter.
 */

/**
 * Notify writes it when a notification is cancelled; the router checks it right before sending each of that
 * notification's requests, so a cancel stops what is already queued in Kafka.
 */
export const notificationCancelledKey = (prefix: string, notificationId: string): string =>
  `${prefix}notify:cancelled:${notificationId}`;
