import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { activeServices, loadCompose, publishedTargets } from '@wa-broker/infra/compose-model';
import { eventually } from '@wa-broker/infra/poll';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type ComposeSystem,
  isolationKey,
  runCredentialKey,
  startComposeSystem,
} from '../src/compose-system.js';
import { type ChatEntry, Phone } from '../src/phone.js';
import { templateListenPort, uiTemplateFile } from '../src/ui-proxy.js';

// `docker compose --profile demo up` without Docker: every service of the profile as a process with the
// environment compose gives it (src/compose-system.ts says what changes and why), then a conversation.
// agent-frontend is the image's nginx config run with Debian's nginx (src/ui-proxy.ts) in front of the agent
// backend; its own checks are the second describe (one system for both: CI's time is counted).
let system: ComposeSystem;

beforeAll(async () => {
  system = await startComposeSystem('demo');
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** An operator's socket through the UI's nginx, collecting every frame. */
function operatorSocket(uiUrl: string, token: string) {
  const frames: Record<string, unknown>[] = [];
  const socket = new WebSocket(`${uiUrl.replace('http', 'ws')}/ws?token=${token}`, { origin: uiUrl });
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const waitFor = (match: (frame: Record<string, unknown>) => boolean, what: string) =>
    eventually(() => frames.find(match), {
      what: `the operator to get ${what}`,
      timeoutMs: 20_000,
      intervalMs: 100,
      detail: () => `frames: ${JSON.stringify(frames).slice(0, 3000)}`,
    });
  return { socket, frames, waitFor };
}

describe('docker compose --profile demo, as processes', () => {
  it('starts every service of the profile with compose’s environment: only addresses and run names differ', () => {
    expect(Object.keys(system.startedEnv).sort()).toEqual([
      'admin',
      'agent-backend',
      'agent-frontend',
      'bot-agent',
      'bot-fake-api',
      'kafka-access',
      'media',
      'notify',
      'router-demo',
      'wa-simulator',
      'webhook-demo',
    ]);
    expect(system.skipped).toEqual(['kafka-ui']);
    const composeHosts =
      /\b(webhook-demo|router-demo|wa-simulator|admin|notify|media|agent-backend|bot-fake-api|kafka|postgres|redis|mongo|minio):\d/;
    for (const [service, compose] of Object.entries(system.composeEnv)) {
      const started = system.startedEnv[service] ?? {};
      for (const [key, value] of Object.entries(compose)) {
        const address = /(^|_)(HOST|PORT)$/.test(key) || /:\/\/|:\d/.test(value);
        if (address || isolationKey.test(key) || runCredentialKey.test(key)) continue;
        expect(started[key], `${service} ${key}`).toBe(value);
      }
      for (const [key, value] of Object.entries(started)) {
        expect(value, `${service} ${key}`).not.toMatch(composeHosts);
        if (!(key in compose)) expect(key, `${service}: ${key} is not compose's`).toMatch(isolationKey);
      }
    }
  });

  it('holds a conversation: phone → menu → Agent A → operator inbox through nginx → reply → read', async () => {
    const token = system.startedEnv['agent-backend']?.OPERATOR_TOKENS?.split(',')[0] ?? '';
    const operator = operatorSocket(system.url('agent-frontend'), token);
    try {
      await operator.waitFor((frame) => frame.type === 'welcome', 'welcome');
      const phone = new Phone(system.url('wa-simulator'));
      const waId = '15557100001';
      const hi = await phone.say(waId, 'Hi from the compose demo');
      // The run's own agent (the seeded Agent A's topics are pnpm dev's): `Agent A <run id>`.
      await phone.choose(waId, (title) => title === `Agent A ${system.runId}`);
      const inbound = await operator.waitFor(
        (frame) =>
          frame.type === 'message' && (frame.message as { wamid?: string } | undefined)?.wamid === hi.wamid,
        'the first message',
      );
      // Keyed by the user's business-scoped id (shared/user-identity.ts); the reply below names the phone, which
      // the inbox resolves to that conversation.
      expect(inbound.message).toMatchObject({
        wa_id: expect.stringMatching(/^US\.\d{20}$/),
        direction: 'in',
        text: 'Hi from the compose demo',
      });

      const key = randomUUID();
      operator.socket.send(
        JSON.stringify({
          v: 1,
          type: 'send_reply',
          request_id: 'reply-1',
          wa_id: waId,
          idempotency_key: key,
          reply: { kind: 'text', text: 'Hello from the operator inbox' },
        }),
      );
      await operator.waitFor((frame) => frame.type === 'reply_accepted', 'reply_accepted');
      await phone.waitFor(
        waId,
        (entry) => Phone.text(entry) === 'Hello from the operator inbox',
        'the reply',
      );
      await operator.waitFor(
        (frame) => frame.type === 'status' && frame.message_id === key && frame.status === 'read',
        'the read status',
      );

      // A photo: stored by the media service in the run's bucket (MinIO's stand-in), and opened by the operator's
      // browser through nginx with the link the backend signed with its agent's credential (compose's signing key).
      const photo = (await phone.act(waId, { type: 'image', caption: 'compose photo' })) as ChatEntry & {
        media?: { sha256: string };
      };
      const shown = await operator.waitFor(
        (frame) =>
          frame.type === 'message' &&
          (frame.message as { wamid?: string } | undefined)?.wamid === photo.wamid,
        'the photo',
      );
      const link = (shown.message as { media?: { url?: string } }).media?.url ?? '';
      expect(link).toMatch(/^\/api\/media\//);
      const bytes = Buffer.from(
        await (await fetch(`${system.url('agent-frontend')}${link}&wait=20000`)).arrayBuffer(),
      );
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(photo.media?.sha256);
    } catch (error) {
      throw new Error(`${String(error)}\n${system.logs()}`);
    } finally {
      operator.socket.close();
    }
  });

  it('the command bot answers through the same system', async () => {
    const phone = new Phone(system.url('wa-simulator'));
    const waId = '15557100002';
    await phone.say(waId, 'hello');
    await phone.choose(waId, (title) => title === `${system.runId} bot`);
    await phone.say(waId, '/status A1001');
    await phone.waitFor(waId, (entry) => /A1001/.test(Phone.text(entry) ?? ''), "the bot's order status");
  });
});

describe("the agent-frontend image's nginx config, in front of the running agent backend", () => {
  const token = () => system.startedEnv['agent-backend']?.OPERATOR_TOKENS?.split(',')[0] ?? '';

  it('serves the built UI: the page, its script and styles, and the page for any app route', async () => {
    const { proxy, dir } = system.ui;
    const page = await fetch(`${proxy.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toBe(await readFile(join(dir, 'index.html'), 'utf8'));
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${proxy.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
      expect(await response.text()).toBe(await readFile(join(dir, asset), 'utf8'));
    }
    expect(await (await fetch(`${proxy.url}/conversations/15550001111`)).text()).toBe(html);
  });

  it('a WebSocket from the page origin gets welcome; /api takes the operator token; a foreign origin is refused', async () => {
    const { proxy } = system.ui;
    const operator = operatorSocket(proxy.url, token());
    try {
      const welcome = await operator.waitFor((frame) => frame.type === 'welcome', 'welcome');
      expect(welcome).toMatchObject({ v: 1, agent: system.startedEnv['agent-backend']?.AGENT_NAME });
      operator.socket.send(JSON.stringify({ v: 1, type: 'ping', request_id: 'through-nginx' }));
      await operator.waitFor(
        (frame) => frame.type === 'pong' && frame.request_id === 'through-nginx',
        'pong',
      );
    } finally {
      operator.socket.close();
    }
    const listed = await fetch(`${proxy.url}/api/conversations`, {
      headers: { authorization: `Bearer ${token()}` },
    });
    expect(listed.status, await proxy.logs()).toBe(200);
    expect(await listed.json()).toHaveProperty('conversations');
    expect((await fetch(`${proxy.url}/api/conversations`)).status).toBe(401);
    const foreign = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws?token=${token()}`, {
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
