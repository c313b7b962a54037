import { loadConfig } from '@wa-broker/shared/config';
import { ConfigError } from '@wa-broker/shared/errors';
import { defaultGraphApiVersion } from '@wa-broker/shared/graph-api-versions';
import { createLogger } from '@wa-broker/shared/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { simulatorConfig } from '../src/config.js';

// Issue 17 item 3: the simulator serves the Graph API versions Meta serves (meta-2026-changes.md §1.10), on a fixed
// day so the answers do not move with the calendar. Meta's versioning guide: a call to a version no longer usable
// is defaulted to the next oldest usable one; a version Meta never released is an unknown path (code 2500).
const token = 'sim_versions_token';
const number = '106540352242922';
const env = { PORT: '0', SIM_APP_SECRET: 'sim_versions_secret', SIM_ACCESS_TOKENS: token };
const send = { messaging_product: 'whatsapp', to: '15550001111', type: 'text', text: { body: 'hi' } };

let today = new Date('2026-12-01T12:00:00Z');
let sim: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  // The webhook URL answers nothing: these tests look only at the Graph API's answers.
  const config = loadConfig(simulatorConfig, { ...env, SIM_WEBHOOK_URL: 'http://127.0.0.1:9/webhook' });
  sim = await buildApp({
    config,
    logger: createLogger({ service: 'test', level: 'silent' }),
    today: () => today,
  });
});
afterAll(() => sim.app.close());

const post = (path: string) =>
  sim.app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${token}` }, payload: send });

describe('Graph API versions', () => {
  it('serves a live version as itself and an unversioned path as the configured default', async () => {
    for (const [path, version] of [
      [`/v21.0/${number}/messages`, 'v21.0'],
      [`/v27.0/${number}/messages`, 'v27.0'],
      [`/${number}/messages`, defaultGraphApiVersion],
    ] as const) {
      const response = await post(path);
      expect(response.statusCode, path).toBe(200);
      expect(response.headers['facebook-api-version'], path).toBe(version);
    }
  });

  it('serves an expired version as the oldest live one, as Meta does', async () => {
    const response = await post(`/v19.0/${number}/messages`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['facebook-api-version']).toBe('v21.0');
    today = new Date('2027-01-21T00:00:00Z');
    const afterExpiry = await post(`/v21.0/${number}/messages`);
    today = new Date('2026-12-01T12:00:00Z');
    expect(afterExpiry.headers['facebook-api-version']).toBe('v22.0');
  });

  it("answers a version Meta never released as Graph's unknown path", async () => {
    for (const path of [`/v99.0/${number}/messages`, `/v21.1/${number}/messages`, '/v99.0/some-media-id']) {
      const response = await sim.app.inject({
        method: path.endsWith('/messages') ? 'POST' : 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}` },
        payload: path.endsWith('/messages') ? send : undefined,
      });
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error, path).toMatchObject({
        message: `Unknown path components: ${path}`,
        type: 'OAuthException',
        code: 2500,
      });
    }
  });

  it('refuses to start with SIM_GRAPH_API_VERSION malformed, unknown or expired', () => {
    for (const version of ['25.0', 'v99.0', 'v19.0']) {
      const load = () => loadConfig(simulatorConfig, { ...env, SIM_GRAPH_API_VERSION: version });
      expect(load, version).toThrow(ConfigError);
      expect(load, version).toThrow(/SIM_GRAPH_API_VERSION/);
    }
  });
});
