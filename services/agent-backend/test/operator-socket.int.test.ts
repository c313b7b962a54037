import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame } from './support/operator-client.js';

let harness: Harness;
let url: string;

beforeAll(async () => {
  harness = await createHarness();
  ({ url } = await harness.startInstance());
});

afterAll(async () => {
  await harness?.close();
});

function upgradeStatus(address: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(address);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });
}

describe('operator socket', () => {
  it('answers 401 to an upgrade without a valid token', async () => {
    const wsUrl = url.replace(/^http/, 'ws');
    expect(await upgradeStatus(`${wsUrl}/ws`)).toBe(401);
    expect(await upgradeStatus(`${wsUrl}/ws?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${wsUrl}/ws?token=test-operator-token`)).toBe(101);
  });

  it('answers invalid frames with an error frame and keeps the socket usable', async () => {
    const operator = await connectOperator(url);
    operator.sendRaw('not json');
    await operator.waitForFrame((f) => f.type === 'error' && f.code === 'invalid_frame');
    const unknown = await operator.request({ v: 1, type: 'nope' } as never);
    expect(unknown).toMatchObject({ type: 'error', code: 'invalid_frame' });
    const tooLong = await operator.request(
      frame({
        type: 'send_reply',
        wa_id: '1',
        idempotency_key: 'k-12345678',
        reply: { kind: 'buttons', body: 'x', buttons: [{ id: 'a', title: 'x'.repeat(21) }] },
      }),
    );
    expect(tooLong).toMatchObject({ type: 'error', code: 'invalid_frame' });
    expect(JSON.stringify(tooLong)).toContain('reply.buttons.0.title');
    expect(await operator.request(frame({ type: 'ping' }))).toMatchObject({ type: 'pong' });
    operator.close();
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('agent_backend_operator_frames_total');
    expect((await fetch(`${url}/api/conversations`)).status).toBe(401);
  });
});

describe('several instances', () => {
  it('pushes every event to the operators of every instance and stores it once', async () => {
    const second = await harness.startInstance();
    const [first, other] = await Promise.all([connectOperator(url), connectOperator(second.url)]);
    const event = inboundText('5511977770001', 'hello both');
    await harness.produceInbound(event);
    const isIt = (f: ServerFrame) => f.type === 'message' && f.message.id === event.event_id;
    await Promise.all([first.waitForFrame(isIt), other.waitForFrame(isIt)]);
    expect(first.frames.filter(isIt)).toHaveLength(1);
    expect(other.frames.filter(isIt)).toHaveLength(1);
    expect(await harness.db.collection('messages').countDocuments({ wamid: event.wamid })).toBe(1);
    first.close();
    other.close();
  });
});
