import { createHash, randomBytes } from 'node:crypto';
import { createMediaClient } from '@wa-broker/agent-sdk';
import { eventually } from '@wa-broker/infra/poll';
import { stackS3 } from '@wa-broker/infra/stack-settings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentBus, isAbout } from '../../src/agent-bus.js';
import { recordFigures } from '../../src/figures.js';
import { type ChatEntry, isE2eAgent, Phone } from '../../src/phone.js';
import { type PrivateKafka, startPrivateKafka } from '../../src/private-kafka.js';
import { type HttpProxy, startProxy } from '../../src/proxy.js';
import { after } from '../../src/scenario.js';
import { type System, startSystem } from '../../src/system.js';
import { loadLimits, quickGroupEnv } from '../../src/system-env.js';

// Issue 18 "done when": the media worker (kill -9, relaunched) and Kafka (kill -9 of the only broker, restarted)
// die while users' files are being fetched and stored; every file ends stored once, with the user's bytes.
let kafka: PrivateKafka | undefined;
let system: System | undefined;
let bus: AgentBus | undefined;
// Meters the media service's S3 requests: the storage's own count of writes, which no kill -9 can lose (a
// process's last log lines can be).
let s3Meter: HttpProxy | undefined;

beforeAll(async () => {
  kafka = await startPrivateKafka({ brokers: 1, kafka: 31492, mongo: 27054 });
  s3Meter = await startProxy([stackS3().endpoint]);
  system = await startSystem({
    kafkaBrokers: kafka.brokers,
    media: true,
    agentBackend: false,
    routerEnv: { ...loadLimits.router, ...quickGroupEnv },
    simulatorEnv: loadLimits.simulator,
    mediaEnv: { KAFKA_SESSION_TIMEOUT_MS: '6000', MEDIA_CONCURRENCY: '2', S3_ENDPOINT: s3Meter.url },
  });
  bus = new AgentBus(system.kafkaBrokers, system.agentTopics);
  await bus.start();
}, 240_000);

afterAll(async () => {
  await bus?.stop();
  await system?.stop();
  await s3Meter?.stop();
  await kafka?.stop();
}, 120_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const mediaOf = (entry: ChatEntry) => (entry as ChatEntry & { media?: { id: string; sha256: string } }).media;

describe('media under faults', () => {
  it('kill -9 the media worker, then the only Kafka broker, mid-transfer: every file stored once, bytes intact', async () => {
    if (!system || !bus || !kafka) throw new Error('not started');
    const phone = new Phone(system.simulator.url);
    const users = ['15557190001', '15557190002', '15557190003'];
    for (const waId of users) {
      await phone.say(waId, 'hi');
      await phone.choose(waId, isE2eAgent);
    }
    const files = 30;
    const sent: { entry: ChatEntry; sha256: string }[] = [];
    const sending = (async () => {
      for (let i = 0; i < files; i++) {
        const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(512 * 1024)]);
        const waId = users[i % users.length] ?? '';
        const entry = await phone.act(waId, {
          type: 'image',
          data_base64: bytes.toString('base64'),
          mime_type: 'image/jpeg',
        });
        sent.push({ entry, sha256: sha256(bytes) });
        await after(150);
      }
    })();
    const started = Date.now();
    await after(1200);
    await system.kill(system.media as NonNullable<System['media']>);
    await after(1500);
    const media = await system.relaunch(system.media as NonNullable<System['media']>);
    await after(1000);
    kafka.kill(0);
    await after(3000);
    await kafka.restart(0);
    const kafkaBackAfter = (Date.now() - started) / 1000;
    await sending;

    const client = createMediaClient({ url: media.url, token: system.mediaToken });
    for (const { entry, sha256: expected } of sent) {
      const event = await bus.waitForInbound((e) => e.wamid === entry.wamid, `photo ${entry.wamid}`, 90_000);
      expect(isAbout(event, event.waID)).toBe(true);
      const path = event.media?.path ?? '';
      // The worker catches up after Kafka's restart: one deadline for the file to be there.
      await eventually(
        async () =>
          (
            await fetch(`${media.url}${path}`, {
              method: 'HEAD',
              headers: { authorization: `Bearer ${system?.mediaToken}` },
            })
          ).ok || undefined,
        { what: `${path} to be stored`, timeoutMs: 90_000, intervalMs: 250 },
      );
      const file = await client.download(path);
      expect(file.sha256, `${entry.wamid}`).toBe(expected);
      expect(mediaOf(entry)?.sha256).toBe(expected);
      // The agent is told, too: at least once (a replayed batch repeats it under the same event id).
      const stored = await bus.waitForInbound(
        (e) => e.type === 'media_stored' && e.wamid === entry.wamid,
        `media_stored for ${entry.wamid}`,
        90_000,
      );
      expect(stored.media).toMatchObject({ size: file.bytes.length, sha256: expected });
    }
    const settledSeconds = (Date.now() - started) / 1000;
    // Stored once: S3 accepted exactly one write of each file's key, across both media processes (a repeat
    // after a kill is refused by the conditional write: 412, not counted).
    const writes = (s3Meter?.hits ?? []).filter((hit) => hit.method === 'PUT' && hit.status === 200);
    const written = writes.map((hit) => hit.path.split('/').at(-1) ?? '');
    const ids = sent.map(({ entry }) => mediaOf(entry)?.id ?? '');
    expect(written.sort()).toEqual([...ids].sort());
    expect(bus.errors.filter((error) => error.code === 'media_unavailable')).toEqual([]);
    recordFigures('media-worker-and-kafka-kill', {
      files,
      bytesPerFile: 512 * 1024 + 4,
      kafkaBackAfterSeconds: kafkaBackAfter,
      allStoredAfterSeconds: settledSeconds,
      storedWrites: written.length,
      refusedRepeatWrites: (s3Meter?.hits ?? []).filter((hit) => hit.method === 'PUT' && hit.status === 412)
        .length,
    });
  }, 240_000);
});
