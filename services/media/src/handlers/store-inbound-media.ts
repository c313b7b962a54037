import { createHash } from 'node:crypto';
import type { Logger } from '@wa-broker/shared/logger';
import { sha256Matches } from '@wa-broker/shared/meta-media-rules';
import { backoffMs, type InboundMediaJob, mediaStoredEvent } from '../domain/inbound-job.js';
import type {
  AgentErrors,
  AgentEvents,
  Clock,
  GraphFailure,
  GraphMedia,
  MediaStore,
  NumberTokens,
  StoredMediaInfo,
} from '../domain/ports.js';

export interface StoreInboundDeps {
  store: MediaStore;
  graph: GraphMedia;
  tokens: NumberTokens;
  agentErrors: AgentErrors;
  agentEvents: AgentEvents;
  clock: Clock;
  logger: Logger;
  settings: { attempts: number; backoffBaseMs: number; backoffMaxMs: number; maxBytes: number };
}

export type StoreOutcome = 'stored' | 'already_stored' | 'failed' | 'already_failed';

/**
 * Stores one user file (issue 18 §1): looks it up by id with its number's token, downloads it (a URL that
 * expired is looked up again on the next attempt), checks Meta's sha256 and the size cap, writes it once, and
 * tells the owning agent with `media_stored` on its `-in` topic (the file's size, which Meta's webhook does
 * not say). Meta-side failures are retried with backoff and end as `media_unavailable` on the owning agent's
 * `-error` topic, then a failure record. Storage and Kafka errors are thrown: the caller retries the batch and
 * commits nothing, so a file is never marked done before its bytes are stored and the agent told.
 */
export async function storeInboundMedia(job: InboundMediaJob, deps: StoreInboundDeps): Promise<StoreOutcome> {
  const log = deps.logger.child({
    media_id: job.mediaId,
    phone_number_id: job.phoneNumberId,
    agent: job.owner.slug,
  });
  // Stored by an earlier run that may have died before telling the agent: tell it (again; it dedupes).
  const earlier = await deps.store.head(job.key);
  if (earlier) {
    await tellStored(job, earlier, deps);
    return 'already_stored';
  }
  if (await deps.store.failure(job.key)) return 'already_failed';
  const fetched = await fetchWithRetries(job, deps, log);
  if (fetched.ok) {
    const { bytes, mimeType, sha256 } = fetched;
    const info: StoredMediaInfo = {
      owner: job.owner.slug,
      mimeType,
      size: bytes.length,
      sha256,
      ...(job.filename ? { filename: job.filename } : {}),
      direction: 'inbound',
    };
    const written = await deps.store.put(job.key, bytes, info);
    // Another worker won the race: it stored these very bytes (same id, same digest).
    await tellStored(job, info, deps);
    if (!written) return 'already_stored';
    log.info({ bytes: bytes.length, wamid: job.wamid }, 'media stored');
    return 'stored';
  }
  // The agent hears first: if this process dies before the record is written, the next one tells it again
  // (the event id is the file's, so the agent dedupes) rather than never.
  await deps.agentErrors.mediaUnavailable({
    errorTopic: job.owner.errorTopic,
    agentId: job.owner.id,
    waID: job.waID,
    phoneNumberId: job.phoneNumberId,
    ...(job.wamid ? { wamid: job.wamid } : {}),
    media: { id: job.mediaId, type: job.type, path: job.path },
    reason: fetched.reason,
    ...(fetched.metaError ? { metaError: fetched.metaError } : {}),
  });
  await deps.store.recordFailure(job.key, {
    owner: job.owner.slug,
    reason: fetched.reason,
    ...(fetched.metaError ? { metaError: fetched.metaError } : {}),
  });
  log.warn({ reason: fetched.reason, wamid: job.wamid }, 'media unavailable: agent told');
  return 'failed';
}

async function tellStored(job: InboundMediaJob, info: StoredMediaInfo, deps: StoreInboundDeps) {
  await deps.agentEvents.publish(job.owner.inTopic, mediaStoredEvent(job, info, deps.clock.now()));
}

type Fetched = { ok: true; bytes: Buffer; mimeType: string; sha256: string } | ({ ok: false } & GraphFailure);

async function fetchWithRetries(job: InboundMediaJob, deps: StoreInboundDeps, log: Logger): Promise<Fetched> {
  const token = deps.tokens.tokenFor(job.phoneNumberId);
  if (!token)
    return {
      ok: false,
      kind: 'permanent',
      reason: `the broker has no Graph token for number ${job.phoneNumberId}`,
    };
  const { attempts, backoffBaseMs, backoffMaxMs } = deps.settings;
  let last: Fetched = { ok: false, kind: 'retry', reason: 'not tried' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await fetchOnce(job, token, deps);
    if (last.ok || last.kind === 'permanent') return last;
    if (attempt < attempts) {
      const wait = backoffMs(attempt, backoffBaseMs, backoffMaxMs);
      log.warn({ attempt, reason: last.reason, retry_in_ms: wait }, 'media fetch failed: retrying');
      await deps.clock.sleep(wait);
    }
  }
  return last.ok ? last : { ...last, reason: `${last.reason} (after ${attempts} attempts)` };
}

async function fetchOnce(job: InboundMediaJob, token: string, deps: StoreInboundDeps): Promise<Fetched> {
  const { maxBytes } = deps.settings;
  const info = await deps.graph.lookup(job.mediaId, job.phoneNumberId, token);
  if (!info.ok) return info;
  if (info.value.size !== undefined && info.value.size > maxBytes) {
    return {
      ok: false,
      kind: 'permanent',
      reason: `file of ${info.value.size} bytes exceeds the ${maxBytes}-byte limit`,
    };
  }
  const download = await deps.graph.download(info.value.url, token, maxBytes);
  if (!download.ok) return download;
  const bytes = download.value;
  const digest = createHash('sha256').update(bytes).digest();
  const expected = job.sha256 ?? info.value.sha256;
  if (expected && !sha256Matches(expected, digest)) {
    return { ok: false, kind: 'retry', reason: 'downloaded bytes do not match Meta’s sha256' };
  }
  return {
    ok: true,
    bytes,
    mimeType: info.value.mimeType || job.mimeType || 'application/octet-stream',
    sha256: digest.toString('hex'),
  };
}
