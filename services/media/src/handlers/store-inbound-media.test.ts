import { createHash } from 'node:crypto';
import { type AgentInboundEvent, agentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { createLogger } from '@wa-broker/shared/logger';
import { describe, expect, it } from 'vitest';
import type { InboundMediaJob } from '../domain/inbound-job.js';
import type {
  GraphMedia,
  GraphResult,
  MediaErrorNotice,
  MediaFailure,
  MediaStore,
  MetaMediaInfo,
  StoredMediaInfo,
} from '../domain/ports.js';
import { storeInboundMedia } from './store-inbound-media.js';

// Pure logic with in-memory ports: whatsapp-cloud-api.md §8 (lookup by id, 5-minute URL, sha256, 100 MB).
const bytes = Buffer.from('a photo of a broken parcel');
const hex = createHash('sha256').update(bytes).digest('hex');
const base64 = createHash('sha256').update(bytes).digest('base64');

const job: InboundMediaJob = {
  key: 'media/106540352242922/777',
  path: '/v1/media/106540352242922/777',
  mediaId: '777',
  type: 'image',
  phoneNumberId: '106540352242922',
  waID: '15550001111',
  wamid: 'wamid.1',
  mimeType: 'image/jpeg',
  sha256: base64,
  owner: { id: '1', slug: 'agent_A', inTopic: 'agent_A-in', errorTopic: 'agent_A-error' },
  event: {
    v: 1,
    event_id: 'wamid.1',
    waID: '15550001111',
    phone_number_id: '106540352242922',
    type: 'image',
    text: 'the parcel',
    raw_payload: null,
    agent: 'agent_A',
    user: { wa_id: '15550001111', name: 'Ana' },
    timestamp: '2026-12-02T06:00:00.000Z',
    window_expires_at: '2026-12-03T06:00:00.000Z',
    wamid: 'wamid.1',
    media: { id: '777', mime_type: 'image/jpeg', sha256: base64, caption: 'the parcel' },
  },
};

function world(
  graphScript: { lookups?: GraphResult<MetaMediaInfo>[]; downloads?: GraphResult<Buffer>[] } = {},
) {
  const objects = new Map<string, StoredMediaInfo & { bytes: Buffer }>();
  const failures = new Map<string, MediaFailure>();
  const notices: MediaErrorNotice[] = [];
  const published: { topic: string; event: AgentInboundEvent }[] = [];
  let failPublish = false;
  const calls = { lookup: 0, download: 0, sleeps: [] as number[] };
  let failPut = false;
  const okLookup: GraphResult<MetaMediaInfo> = {
    ok: true,
    value: { url: 'https://x/1', mimeType: 'image/jpeg', sha256: base64, size: bytes.length },
  };
  const store: MediaStore = {
    head: async (key) => objects.get(key) ?? null,
    put: async (key, data, info) => {
      if (failPut) throw new Error('S3 down');
      if (objects.has(key)) return false;
      objects.set(key, { ...info, bytes: data });
      return true;
    },
    get: async () => null,
    failure: async (key) => failures.get(key) ?? null,
    recordFailure: async (key, failure) => void failures.set(key, failure),
    sweep: async () => 0,
  };
  const graph: GraphMedia = {
    lookup: async () => {
      calls.lookup++;
      return graphScript.lookups?.shift() ?? okLookup;
    },
    download: async () => {
      calls.download++;
      return graphScript.downloads?.shift() ?? { ok: true, value: bytes };
    },
    upload: async () => ({ ok: false, kind: 'permanent', reason: 'unused' }),
  };
  const deps = {
    store,
    graph,
    tokens: {
      defaultNumberId: '106540352242922',
      tokenFor: (id: string) => (id === '106540352242922' ? 'token' : null),
    },
    agentErrors: { mediaUnavailable: async (notice: MediaErrorNotice) => void notices.push(notice) },
    agentEvents: {
      publish: async (topic: string, event: AgentInboundEvent) => {
        if (failPublish) throw new Error('Kafka down');
        published.push({ topic, event });
      },
    },
    clock: { now: () => new Date(), sleep: async (ms: number) => void calls.sleeps.push(ms) },
    logger: createLogger({ service: 'media-test', level: 'silent' }),
    settings: { attempts: 3, backoffBaseMs: 100, backoffMaxMs: 1000, maxBytes: 1000 },
  };
  return {
    deps,
    objects,
    failures,
    notices,
    published,
    calls,
    breakStorage: () => (failPut = true),
    breakKafka: () => (failPublish = true),
  };
}

describe('storing a user file', () => {
  it('stores the bytes once with their owner, type and digest; a second delivery downloads nothing', async () => {
    const w = world();
    expect(await storeInboundMedia(job, w.deps)).toBe('stored');
    expect(w.objects.get(job.key)).toMatchObject({
      owner: 'agent_A',
      mimeType: 'image/jpeg',
      size: bytes.length,
      sha256: hex,
      direction: 'inbound',
      bytes,
    });
    expect(await storeInboundMedia(job, w.deps)).toBe('already_stored');
    expect(w.calls.download).toBe(1);
  });

  it('tells the owning agent on its -in topic that the file is stored, with its size (Meta’s webhook has none)', async () => {
    const w = world();
    await storeInboundMedia(job, w.deps);
    expect(w.published).toEqual([
      {
        topic: 'agent_A-in',
        event: expect.objectContaining({
          type: 'media_stored',
          event_id: 'media-stored:106540352242922:777',
          waID: '15550001111',
          wamid: 'wamid.1',
          agent: 'agent_A',
          user: { wa_id: '15550001111', name: 'Ana' },
          window_expires_at: '2026-12-03T06:00:00.000Z',
          media: {
            id: '777',
            type: 'image',
            path: job.path,
            mime_type: 'image/jpeg',
            sha256: hex,
            size: bytes.length,
            caption: 'the parcel',
          },
        }),
      },
    ]);
    expect(agentInboundEvent.safeParse(w.published[0]?.event).success).toBe(true);
    // A replayed batch (this process died after storing, before committing) tells it again, same event id.
    await storeInboundMedia(job, w.deps);
    expect(w.published.map((p) => p.event.event_id)).toEqual([
      'media-stored:106540352242922:777',
      'media-stored:106540352242922:777',
    ]);
  });

  it('throws when Kafka cannot take media_stored: the batch is replayed and the agent told then', async () => {
    const w = world();
    w.breakKafka();
    await expect(storeInboundMedia(job, w.deps)).rejects.toThrow('Kafka down');
    expect(w.objects.size).toBe(1);
  });

  it('stores once when another worker wrote the file meanwhile (the conditional write loses)', async () => {
    const w = world();
    const racing = {
      ...w.deps,
      graph: {
        ...w.deps.graph,
        download: async (url: string, token: string, max: number) => {
          const result = await w.deps.graph.download(url, token, max);
          w.objects.set(job.key, {
            owner: 'agent_A',
            mimeType: 'image/jpeg',
            size: bytes.length,
            sha256: hex,
            direction: 'inbound',
            bytes,
          });
          return result;
        },
      },
    };
    expect(await storeInboundMedia(job, racing)).toBe('already_stored');
    expect(w.published.map((p) => p.event.media?.size)).toEqual([bytes.length]);
  });

  it('looks the id up again when the URL expired (404 on the download)', async () => {
    const w = world({ downloads: [{ ok: false, kind: 'retry', reason: 'Graph API answered HTTP 404' }] });
    expect(await storeInboundMedia(job, w.deps)).toBe('stored');
    expect(w.calls).toMatchObject({ lookup: 2, download: 2 });
    expect(w.calls.sleeps).toHaveLength(1);
  });

  it('retries bytes that do not match Meta’s sha256, then tells the owning agent and records why', async () => {
    const other = Buffer.from('something else');
    const w = world({ downloads: [1, 2, 3].map(() => ({ ok: true as const, value: other })) });
    expect(await storeInboundMedia(job, w.deps)).toBe('failed');
    expect(w.objects.size).toBe(0);
    expect(w.calls.download).toBe(3);
    expect(w.notices).toEqual([
      expect.objectContaining({
        errorTopic: 'agent_A-error',
        waID: '15550001111',
        wamid: 'wamid.1',
        media: { id: '777', type: 'image', path: job.path },
        reason: expect.stringContaining('sha256'),
      }),
    ]);
    expect(w.failures.get(job.key)?.owner).toBe('agent_A');
    expect(w.published).toHaveLength(0);
    expect(await storeInboundMedia(job, w.deps)).toBe('already_failed');
    expect(w.notices).toHaveLength(1);
  });

  it('gives up at once on what Meta refuses for good (unknown or expired id), with Meta’s error', async () => {
    const metaError = { code: 100, title: 'Invalid parameter' };
    const w = world({
      lookups: [{ ok: false, kind: 'permanent', reason: 'Graph API error 100', metaError }],
    });
    expect(await storeInboundMedia(job, w.deps)).toBe('failed');
    expect(w.calls).toMatchObject({ lookup: 1, download: 0 });
    expect(w.notices[0]?.metaError).toEqual(metaError);
  });

  it('refuses a file above the size limit without downloading it', async () => {
    const w = world({ lookups: [{ ok: true, value: { url: 'u', mimeType: 'video/mp4', size: 5000 } }] });
    expect(await storeInboundMedia(job, w.deps)).toBe('failed');
    expect(w.calls.download).toBe(0);
    expect(w.notices[0]?.reason).toContain('exceeds the 1000-byte limit');
  });

  it('tells the agent when the number has no token the broker can read', async () => {
    const w = world();
    expect(await storeInboundMedia({ ...job, phoneNumberId: '999', key: 'media/999/777' }, w.deps)).toBe(
      'failed',
    );
    expect(w.notices[0]?.reason).toContain('no Graph token for number 999');
  });

  it('throws on a storage outage: nothing is reported or marked, the batch is retried', async () => {
    const w = world();
    w.breakStorage();
    await expect(storeInboundMedia(job, w.deps)).rejects.toThrow('S3 down');
    expect(w.notices).toHaveLength(0);
    expect(w.failures.size).toBe(0);
  });
});
