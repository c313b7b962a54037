export type { UploadedMedia } from '@wa-broker/shared/media-access';
export { type Agent, type AgentOptions, type AgentTopics, agentTopics, createAgent } from './agent.js';
export { type DedupeStore, type MemoryDedupeOptions, memoryDedupeStore } from './dedupe.js';
export type {
  AgentEvent,
  EventHandler,
  Handler,
  HandlerContext,
  HandlerErrorPolicy,
  Handlers,
  OutboundHandler,
  Where,
} from './dispatch.js';
export {
  createMediaClient,
  type DownloadedMedia,
  type MediaClient,
  type MediaClientOptions,
  MediaRequestError,
} from './media.js';
export {
  type AgentError,
  type ContactsMessage,
  type InboundBase,
  type InboundByKind,
  type InboundKind,
  type InboundMessage,
  type LocationMessage,
  type MediaMessage,
  type MediaType,
  mediaTypes,
  type ReactionMessage,
  type ReplyMessage,
  type SessionEnded,
  type SessionStarted,
  type StatusUpdate,
  type TextMessage,
  toAgentError,
  toInboundMessage,
  type UnsupportedMessage,
} from './messages.js';
export {
  type ButtonsOptions,
  bindReplier,
  createSender,
  idempotencyKeyOf,
  type ListOptions,
  type OutboundBody,
  type Replier,
  type Sender,
  type SendOptions,
  type Sent,
} from './sender.js';
export { type TemplateCheckOptions, TemplateRefusedError } from './templates.js';
export { OutboundValidationError, validateOutbound } from './validate.js';
export { isWindowOpen } from './window.js';
