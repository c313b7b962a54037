import { parseArgs } from 'node:util';
import { eventually } from '@wa-broker/infra/poll';
import { writeBenchResult } from '../src/bench-result.js';
import { noisePng } from '../src/media-files.js';
import { type ChatEntry, isE2eAgent, Phone } from '../src/phone.js';
import { startSystem } from '../src/system.js';

/**
 * `pnpm bench:media [--files 200] [--users 10] [--concurrency 4] [--size-kb 1024] [--rate N]`: users of the
 * simulator send photos of about 1 MB (a real PNG of noise: nothing compresses or dedupes), as fast as the
 * simulator takes them (throughput) or at N files/s in all (latency below saturation);
 * the webhook, the router and the media service store them in the stack's S3. Prints files stored per second
 * (first send → last stored) and the time from each send to its file stored (p50/p95/p99, from the media
 * service's "media stored" log line), for MEDIA_CONCURRENCY as given. Writes bench/results/media-<date>.json and a
 * line in media.md; exits 1 when a file was not stored or stored twice.
 */
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '200' },
    users: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    'size-kb': { type: 'string', default: '1024' },
    // Files per second in all; unset: as fast as the simulator takes them (a burst: throughput, not latency).
    rate: { type: 'string' },
  },
});
const files = Number(values.files);
const userCount = Number(values.users);
const concurrency = Number(values.concurrency);
const rate = values.rate ? Number(values.rate) : undefined;
const side = Math.round(Math.sqrt((Number(values['size-kb']) * 1024) / 3));
const system = await startSystem({
  media: true,
  agentBackend: false,
  mediaEnv: { MEDIA_CONCURRENCY: String(concurrency), LOG_LEVEL: 'info' },
});
try {
  const phone = new Phone(system.simulator.url);
  const users = Array.from({ length: userCount }, (_, i) => String(15559100000 + i));
  for (const waId of users) {
    await phone.say(waId, 'hi');
    await phone.choose(waId, isE2eAgent);
  }
  const images = Array.from({ length: Math.min(files, 20) }, () => noisePng(side, side));
  const sentAt = new Map<string, number>();
  const started = Date.now();
  // Several users at once, one message at a time each (a user's messages stay in order).
  await Promise.all(
    users.map(async (waId, u) => {
      for (let i = u; i < files; i += users.length) {
        if (rate)
          await new Promise((resolve) => setTimeout(resolve, started + (i * 1000) / rate - Date.now()));
        const bytes = images[i % images.length] as Buffer;
        // A different file each time: a few bytes after IEND change the digest, not the image.
        const unique = Buffer.concat([bytes, Buffer.from(`#${i}`)]);
        const entry = (await phone.act(waId, {
          type: 'image',
          data_base64: unique.toString('base64'),
          mime_type: 'image/png',
        })) as ChatEntry & { media?: { id: string } };
        sentAt.set(entry.media?.id ?? '', Date.now());
      }
    }),
  );
  const stored = () =>
    system
      .allLogs()
      .filter((line) => line.includes('"msg":"media stored"'))
      .map((line) => JSON.parse(line) as { media_id: string; time: string });
  await eventually(() => (stored().length >= files ? true : undefined), {
    what: `${files} files stored`,
    timeoutMs: files * 2000 + 60_000,
    intervalMs: 250,
  });
  const lines = stored();
  const latencies = lines
    .map((line) => Date.parse(line.time) - (sentAt.get(line.media_id) ?? Number.NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const lastStored = Math.max(...lines.map((line) => Date.parse(line.time)));
  const ids = lines.map((line) => line.media_id);
  const result = {
    date: new Date().toISOString(),
    files,
    users: userCount,
    concurrency,
    rate: rate ?? 'burst',
    bytesPerFile: images[0]?.length ?? 0,
    storedPerSecond: files / ((lastStored - started) / 1000),
    mbPerSecond: (files * (images[0]?.length ?? 0)) / 1048576 / ((lastStored - started) / 1000),
    sendToStoredMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1) ?? 0 },
    notStored: [...sentAt.keys()].filter((id) => !ids.includes(id)).length,
    storedTwice: ids.length - new Set(ids).size,
  };
  console.log(JSON.stringify(result, null, 2));
  const t = result.sendToStoredMs;
  writeBenchResult('media', result, {
    header:
      '# pnpm bench:media\n\n| date | files | bytes each | users | send rate | MEDIA_CONCURRENCY | stored/s | MB/s | send→stored p50 / p95 / p99 (ms) | not stored | stored twice |\n|---|---|---|---|---|---|---|---|---|---|---|\n',
    row: `| ${result.date} | ${files} | ${result.bytesPerFile} | ${userCount} | ${result.rate} | ${concurrency} | ${result.storedPerSecond.toFixed(1)} | ${result.mbPerSecond.toFixed(1)} | ${t.p50} / ${t.p95} / ${t.p99} | ${result.notStored} | ${result.storedTwice} |`,
  });
  if (result.notStored > 0 || result.storedTwice > 0) process.exitCode = 1;
} finally {
  await system.stop();
}
