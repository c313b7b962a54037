import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkComposeCoherence, profileDotenv } from '../src/compose-coherence.js';
import { loadCompose, serviceEnv } from '../src/compose-model.js';
import { repoRoot, stackS3 } from '../src/stack-settings.js';

const composeFile = join(repoRoot, 'docker-compose.yaml');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A compose file in a temp folder whose Node services build from this repo (their configs are the real ones). */
function fixture(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'compose-coherence-'));
  dirs.push(dir);
  const file = join(dir, 'docker-compose.yaml');
  writeFileSync(file, lines.join('\n').replaceAll('REPO', repoRoot));
  return file;
}

describe('docker-compose.yaml, profile by profile', () => {
  it('is coherent: hosts, ports, health and every required variable, in demo and live', async () => {
    expect(await checkComposeCoherence(composeFile)).toEqual([]);
  });

  it("minio is the stack's S3: its key pair, its host port, path-style on 9000", () => {
    const model = loadCompose(composeFile, {});
    const s3 = stackS3();
    expect(serviceEnv(model, 'minio')).toMatchObject({
      MINIO_ROOT_USER: s3.accessKeyId,
      MINIO_ROOT_PASSWORD: s3.secretAccessKey,
    });
    expect(model.services.minio?.ports).toContain(`127.0.0.1:${new URL(s3.endpoint).port}:9000`);
    expect(model.services.minio?.healthcheck?.test).toEqual(['CMD', 'mc', 'ready', 'local']);
  });

  it('live without a filled .env: the router and the webhook refuse to start, naming each missing value', async () => {
    const unfilled = () => profileDotenv(repoRoot, 'demo'); // nothing from .env
    const problems = await checkComposeCoherence(composeFile, unfilled);
    expect(problems.sort()).toEqual([
      // Shared by both profiles, admin and media take the demo's simulator when no .env names Meta's values.
      "admin (live): GRAPH_API_BASE_URL=http://wa-simulator:4010 names 'wa-simulator', which is not a service here",
      "media (live): GRAPH_API_BASE_URL=http://wa-simulator:4010 names 'wa-simulator', which is not a service here",
      'router (live): GRAPH_API_TOKEN: is required',
      'router (live): GRAPH_PHONE_NUMBER_ID: is required',
      'webhook (live): META_APP_SECRETS: is required',
      'webhook (live): META_VERIFY_TOKEN: is required',
    ]);
    // The same, from the real processes (the config is read before anything is connected), side by side.
    const model = loadCompose(composeFile, {});
    const runs = await Promise.all(
      (['router', 'webhook'] as const).map((service) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
          cwd: join(repoRoot, 'services', service),
          env: { PATH: process.env.PATH ?? '', ...serviceEnv(model, service) },
          timeout: 20_000,
        }).then(
          () => ({ service, code: 0, stderr: '' }),
          (error: { code?: number; stderr?: string }) => ({
            service,
            code: error.code,
            stderr: error.stderr ?? '',
          }),
        ),
      ),
    );
    expect(runs).toEqual([
      { service: 'router', code: 1, stderr: expect.stringContaining('GRAPH_API_TOKEN: is required') },
      { service: 'webhook', code: 1, stderr: expect.stringContaining('META_APP_SECRETS: is required') },
    ]);
    for (const run of runs) expect(run.stderr).toContain('invalid configuration');
  });

  it('reports loopback and unknown hosts, ports nobody listens on, unready dependencies and missing variables', async () => {
    const file = fixture([
      'services:',
      '  cache:',
      '    image: redis:7-alpine',
      '    expose: ["6379"]',
      '  router:',
      '    build: { context: REPO, target: service, args: { SERVICE: router } }',
      '    env_file: [REPO/services/router/.env.example]',
      '    environment:',
      '      PORT: 6100',
      '      KAFKA_BROKERS: kafka:9092',
      '      REDIS_URL: redis://cache:6380',
      '      GRAPH_API_TOKEN: ""',
      '    ports: ["6101:6101"]',
      '    depends_on: { cache: { condition: service_started } }',
      '  demo-only:',
      '    image: busybox',
      '    profiles: [demo]',
      '    environment: { TARGET: "http://router:6100" }',
      '    depends_on: [router]',
    ]);
    const problems = await checkComposeCoherence(file, () => ({}));
    expect(problems).toEqual([
      'router (demo): publishes container port 6101, which it does not listen on',
      "router (demo): KAFKA_BROKERS=kafka:9092 names 'kafka', which is not a service here",
      'router (demo): REDIS_URL=redis://cache:6380: cache does not listen on 6380',
      'router (demo): GRAPH_API_BASE_URL=http://127.0.0.1:4010 points at the container itself',
      "router (demo): depends_on 'cache' without condition service_healthy (started is not ready)",
      "router (demo): depends_on 'cache', which has no healthcheck",
      'router (demo): GRAPH_API_TOKEN: is required',
      "demo-only (demo): depends_on 'router' without condition service_healthy (started is not ready)",
      'router (live): publishes container port 6101, which it does not listen on',
      "router (live): KAFKA_BROKERS=kafka:9092 names 'kafka', which is not a service here",
      'router (live): REDIS_URL=redis://cache:6380: cache does not listen on 6380',
      'router (live): GRAPH_API_BASE_URL=http://127.0.0.1:4010 points at the container itself',
      "router (live): depends_on 'cache' without condition service_healthy (started is not ready)",
      "router (live): depends_on 'cache', which has no healthcheck",
      'router (live): GRAPH_API_TOKEN: is required',
    ]);
  });

  it('reports a dependency that does not run in the profile', async () => {
    const file = fixture([
      'services:',
      '  sim:',
      '    image: busybox',
      '    profiles: [demo]',
      '    healthcheck: { test: ["CMD", "true"] }',
      '  app:',
      '    image: busybox',
      '    depends_on: { sim: { condition: service_healthy } }',
    ]);
    expect(await checkComposeCoherence(file, () => ({}))).toEqual([
      "app (live): depends_on 'sim', which does not run here",
    ]);
  });
});
