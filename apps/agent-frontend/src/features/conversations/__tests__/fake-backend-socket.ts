import type {
  OperatorConversation,
  OperatorMessage,
  OperatorReply,
  OperatorTemplate,
} from '@wa-broker/shared/operator-protocol';
import { conversation } from './fixtures.js';

/** A stand-in browser WebSocket that answers requests the way the backend does. */
export class FakeBackendSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static instances: FakeBackendSocket[] = [];
  /** What the listed conversation has besides its name. */
  static listed: Partial<OperatorConversation> = {};
  /** The message a `send_reply` is accepted as: pending, as the backend answers. */
  static accepted = (frame: {
    wa_id: string;
    idempotency_key: string;
    reply: OperatorReply;
  }): OperatorMessage => ({
    id: frame.idempotency_key,
    wa_id: frame.wa_id,
    direction: 'out',
    type: frame.reply.kind,
    text: '',
    timestamp: '2026-01-10T11:30:00.000Z',
    status: 'pending',
    outbound: frame.reply,
  });
  /** What `list_templates` answers: the conversation's number and its approved templates. */
  static templates: { phone_number_id: string | null; templates: OperatorTemplate[] } = {
    phone_number_id: null,
    templates: [],
  };
  /** Answers of the team frames (claim, notes, search…) by request type; a test sets what it needs. */
  static answers: Record<string, (frame: { [field: string]: unknown }) => object> = {};
  /** Who the welcome says this socket is. */
  static operator: object | undefined = undefined;
  readyState = FakeBackendSocket.CONNECTING;
  requests: { type: string; request_id: string; [field: string]: unknown }[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeBackendSocket.instances.push(this);
  }
  send(text: string) {
    const frame = JSON.parse(text);
    this.requests.push(frame);
    const custom = FakeBackendSocket.answers[frame.type];
    const answer = custom
      ? custom(frame)
      : frame.type === 'list_conversations'
        ? {
            type: 'conversations',
            conversations: [
              conversation({
                name: `Ana ${FakeBackendSocket.instances.length}`,
                ...FakeBackendSocket.listed,
              }),
            ],
            next_before: null,
          }
        : frame.type === 'get_history'
          ? { type: 'history', wa_id: frame.wa_id, messages: [], next_before: null }
          : frame.type === 'send_reply'
            ? { type: 'reply_accepted', message: FakeBackendSocket.accepted(frame) }
            : frame.type === 'list_templates'
              ? { type: 'templates', wa_id: frame.wa_id, waba_id: '1000', ...FakeBackendSocket.templates }
              : { type: 'read_marked', wa_id: frame.wa_id };
    queueMicrotask(() => this.push({ ...answer, request_id: frame.request_id }));
  }
  close() {
    this.readyState = FakeBackendSocket.CLOSED;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeBackendSocket.OPEN;
    this.push({
      type: 'welcome',
      agent: 'Agent A',
      server_time: new Date().toISOString(),
      ...(FakeBackendSocket.operator ? { operator: FakeBackendSocket.operator } : {}),
    });
  }
  push(frame: object) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, ...frame }) });
  }
}
