import type {
  GraphTemplate,
  NotificationError,
  NotificationEvent,
  NotificationSendRequest,
  RecipientStatus,
  TemplateComponent,
} from '@wa-broker/shared/notifications';
import type { NotificationState, RecipientState, StatusCounts } from './recipient-status.js';

export interface NewNotification {
  id: string;
  idempotencyKey: string | null;
  requestHash: string;
  templateName: string;
  language: string;
  sendAt: Date | null;
  recipients: { id: string; position: number; to: string; components: TemplateComponent[] }[];
}

export interface RecipientView {
  id: string;
  to: string;
  status: RecipientStatus;
  attempt: number;
  wamid: string | null;
  error: NotificationError | null;
  statusAt: Date;
}

export interface NotificationSummary {
  id: string;
  idempotencyKey: string | null;
  templateName: string;
  language: string;
  sendAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  counts: StatusCounts;
  state?: NotificationState;
}

export interface NotificationDetail extends NotificationSummary {
  recipients: RecipientView[];
}

export interface ListFilter {
  template?: string;
  state?: NotificationState;
  createdAfter?: Date;
  createdBefore?: Date;
  offset: number;
  limit: number;
}

/** A recipient whose send request is owed to Kafka (new, or resent), with what the router needs. */
export interface OwedSend {
  notificationId: string;
  recipientId: string;
  attempt: number;
  to: string;
  template: GraphTemplate;
}

export interface NotificationStore {
  /** `existing` when the idempotency key is taken (by a concurrent POST too). */
  insert(n: NewNotification): Promise<'created' | 'existing'>;
  findByIdempotencyKey(key: string): Promise<{ id: string; requestHash: string } | null>;
  get(id: string): Promise<NotificationDetail | null>;
  list(filter: ListFilter, now: Date): Promise<{ items: NotificationSummary[]; total: number }>;
  /** queued → cancelled for this notification; null when it does not exist. */
  cancel(id: string, now: Date): Promise<OwedSend[] | null>;
  /** failed → queued with the next attempt; null when it does not exist. */
  resend(id: string, now: Date): Promise<number | null>;
  /**
   * Locks up to `limit` owed, due recipients (SKIP LOCKED: several instances share the work), runs `publish`,
   * and marks them dispatched in the same transaction: a crash re-publishes, the router skips the duplicate.
   */
  dispatchOwed(now: Date, limit: number, publish: (owed: OwedSend[]) => Promise<void>): Promise<number>;
  /** Applies each event the `decide` rule accepts for the recipient's current state; returns how many. */
  applyEvents(
    events: readonly NotificationEvent[],
    decide: (current: RecipientState, event: NotificationEvent) => boolean,
  ): Promise<number>;
}

export interface NotificationBus {
  publishSends(requests: readonly NotificationSendRequest[]): Promise<void>;
  publishEvents(events: readonly NotificationEvent[]): Promise<void>;
}

/** Where the router looks before sending: a cancelled notification's queued requests are skipped. */
export interface CancelMarks {
  mark(notificationId: string): Promise<void>;
}
