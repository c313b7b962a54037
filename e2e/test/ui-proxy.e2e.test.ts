import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildOperatorUi } from '@wa-broker/infra/browser';
import { activeServices, loadCompose, publishedTargets } from '@wa-broker/infra/compose-model';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { dropTestState } from '@wa-broker/infra/test-state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, launchService, type RunningService } from '../src/launch.js';
import { deleteRunTopics } from '../src/run-topics.js';
import { agentBackendEnv, systemNames } from '../src/system-env.js';
import { startUiProxy, templateListenPort, type UiProxy, uiTemplateFile } from '../src/ui-proxy.js';

// The agent-frontend image's nginx config, run with Debian's nginx in front of a real agent backend.
const names = systemNames(randomUUID().slice(0, 8));
const stack = testStackEnv();
let uiDir: string;
let agent: RunningService;
let proxy: UiProxy;

beforeAll(async () => {
  const [dir, agentPort, proxyPort] = await Promise.all([buildOperatorUi(), freePort(), freePort()]);
  uiDir = dir;
  agent = await launchService('agent-backend', {
    KAFKA_BROKERS: stack.KAFKA_BROKERS,
    PORT: String(agentPort),
    ...agentBackendEnv(names, stack.MONGO_URL),
  });
  proxy = await startUiProxy({ uiDir, port: proxyPort, env: { AGENT_BACKEND_URL: agent.url } });
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await agent?.stop();
  await deleteRunTopics(stack.KAFKA_BROKERS.split(','), [`e2e_${names.runId}-`]);
  await dropTestState({ mongoDatabases: [`e2e_${names.runId}`] });
  if (uiDir) await rm(uiDir, { recursive: true, force: true });
});

describe('the operator UI behind the image nginx config', () => {
  it('serves the built UI: the page, its script and styles, and the page for any app route', async () => {
    const page = await fetch(`${proxy.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toBe(await readFile(join(uiDir, 'index.html'), 'utf8'));
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${proxy.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
      expect(await response.text()).toBe(await readFile(join(uiDir, asset), 'utf8'));
    }
    const deepLink = await fetch(`${proxy.url}/conversations/15550001111`);
    expect(await deepLink.text()).toBe(html);
  });

  it('proxies the WebSocket from the page origin: the operator gets welcome', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws?token=${names.operatorToken}`, {
      origin: proxy.url, // what the browser sends from the page nginx served
    });
    try {
      const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
        socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
        socket.once('error', reject);
        socket.once('close', (code) => reject(new Error(`closed with ${code} before a frame`)));
      });
      expect(first).toMatchObject({ v: 1, type: 'welcome', agent: names.agentName });
      socket.send(JSON.stringify({ v: 1, type: 'ping', request_id: 'through-nginx' }));
      const pong = await new Promise<Record<string, unknown>>((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
      );
      expect(pong).toMatchObject({ type: 'pong', request_id: 'through-nginx' });
    } finally {
      socket.close();
    }
  });

  it('proxies /api with the operator token, and the backend still refuses a foreign origin', async () => {
    const listed = await fetch(`${proxy.url}/api/conversations`, {
      headers: { authorization: `Bearer ${names.operatorToken}` },
    });
    expect(listed.status, await proxy.logs()).toBe(200);
    expect(await listed.json()).toMatchObject({ conversations: [] });
    expect((await fetch(`${proxy.url}/api/conversations`)).status).toBe(401);
    const foreign = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws?token=${names.operatorToken}`, {
      origin: 'https://elsewhere.example',
    });
    const refused = await new Promise<boolean>((resolve) => {
      foreign.once('open', () => resolve(false));
      foreign.once('error', () => resolve(true));
    });
    foreign.terminate();
    expect(refused).toBe(true);
  });

  it('listens where docker-compose.yaml publishes agent-frontend', async () => {
    const model = loadCompose(join(repoRoot, 'docker-compose.yaml'));
    expect(activeServices(model)).toContain('agent-frontend');
    const template = await readFile(uiTemplateFile, 'utf8');
    expect(publishedTargets(model.services['agent-frontend'] ?? {})).toEqual([templateListenPort(template)]);
  });
});
