import type { Readable } from 'node:stream';
import type { AgentInboundEvent, MetaErrorDetail } from '@wa-broker/shared/agent-inbound';

/** What the broker keeps about a stored file, in the object's metadata. */
export interface StoredMediaInfo {
  /** The agent (slug) whose conversation the file belongs to: the only one it is served to. */
  owner: string;
  mimeType: string;
  size: number;
  /** Hex digest of the bytes. */
  sha256: string;
  filename?: string;
  direction: 'inbound' | 'outbound';
}

export interface MediaObject {
  info: StoredMediaInfo;
  body: Readable;
  /** Bytes in `body`; the range served when one was asked for. */
  contentLength: number;
  range?: { start: number; end: number; total: number };
  etag?: string;
}

/** Why a file could not be stored, kept so a GET says it at once instead of waiting. */
export interface MediaFailure {
  owner: string;
  reason: string;
  metaError?: MetaErrorDetail;
}

export class RangeNotSatisfiableError extends Error {
  constructor(readonly size: number) {
    super('range not satisfiable');
  }
}

/** Object storage (S3 API). Errors are storage outages: callers retry, they never give up on a file. */
export interface MediaStore {
  head(key: string): Promise<StoredMediaInfo | null>;
  /**
   * Writes the file only if no file has that key (a conditional write, `If-None-Match: *`): false when one
   * already had, so two workers racing on one file store it once.
   */
  put(key: string, bytes: Buffer, info: StoredMediaInfo): Promise<boolean>;
  /** `range` as the HTTP header gives it (`bytes=0-99`). Throws {@link RangeNotSatisfiableError}. */
  get(key: string, range?: string): Promise<MediaObject | null>;
  failure(key: string): Promise<MediaFailure | null>;
  recordFailure(key: string, failure: MediaFailure): Promise<void>;
  /** Deletes files (and failure records) last written before `cutoff`; returns how many. */
  sweep(cutoff: Date): Promise<number>;
}

/** Meta's answer to `GET /{media-id}` (whatsapp-cloud-api.md §8). */
export interface MetaMediaInfo {
  url: string;
  mimeType: string;
  sha256?: string;
  size?: number;
}

/**
 * `retry`: a network error, a timeout, 429 or 5xx, an expired URL (404 on the download): try again later.
 * `permanent`: Meta refused the id itself (unknown or expired, another number's, 131052): telling the agent is
 * all that is left.
 */
export type GraphFailure = { kind: 'retry' | 'permanent'; reason: string; metaError?: MetaErrorDetail };
export type GraphResult<T> = { ok: true; value: T } | ({ ok: false } & GraphFailure);

export interface GraphMedia {
  lookup(mediaId: string, phoneNumberId: string, token: string): Promise<GraphResult<MetaMediaInfo>>;
  download(url: string, token: string, maxBytes: number): Promise<GraphResult<Buffer>>;
  upload(
    phoneNumberId: string,
    token: string,
    file: { bytes: Buffer; mimeType: string; filename: string },
  ): Promise<GraphResult<{ id: string }>>;
}

/** The Graph token of a business number, or null when the broker has none it can read. */
export interface NumberTokens {
  tokenFor(phoneNumberId: string): string | null;
  readonly defaultNumberId: string;
}

/** The `media_unavailable` event on the owning agent's `-error` topic. */
export interface MediaErrorNotice {
  errorTopic: string;
  agentId: string;
  waID: string;
  phoneNumberId: string;
  wamid?: string;
  media: { id: string; type: string; path: string };
  reason: string;
  metaError?: MetaErrorDetail;
}

export interface AgentErrors {
  mediaUnavailable(notice: MediaErrorNotice): Promise<void>;
}

/** Events on an agent's `-in` topic, keyed by the user like the router's. */
export interface AgentEvents {
  publish(topic: string, event: AgentInboundEvent): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}
