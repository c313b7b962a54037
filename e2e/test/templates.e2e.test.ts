import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isAbout } from '../src/agent-bus.js';
import { type ChatEntry, isE2eAgent } from '../src/phone.js';
import { registerNumber } from '../src/register-number.js';
import { simulatorWabaId } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

// Issue 19 "done when", through the simulator: whatsapp-cloud-api.md §5.5 (template sends, 132000 / 132001),
// §7.3 (132015 paused), meta-2026-changes.md §1.8 (template webhooks) and §1.3 (pricing).
const { system, phone, bus } = systemForFile({ notify: true });

async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${system.admin.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${system.adminKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function templateStatus(name: string): Promise<string | undefined> {
  const found = await admin<{ data: MessageTemplateRecord[] }>(
    'GET',
    `/api/v2/templates/${simulatorWabaId}/${name}`,
  );
  return found.status === 200 ? found.json.data[0]?.status : undefined;
}

/** The operator's socket on the agent backend, collecting every frame. */
function operatorSocket() {
  const frames: Record<string, unknown>[] = [];
  const url = `${system.agent.url.replace('http', 'ws')}/ws?token=${system.operatorToken}`;
  const socket = new WebSocket(url);
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const waitFor = (match: (frame: Record<string, unknown>) => boolean, what: string) =>
    eventually(() => frames.find(match), {
      what: `the operator to get ${what}`,
      timeoutMs: 30_000,
      intervalMs: 100,
      detail: () => `frames: ${JSON.stringify(frames).slice(-3000)}`,
    });
  const send = (frame: Record<string, unknown>) => socket.send(JSON.stringify({ v: 1, ...frame }));
  return { socket, frames, waitFor, send };
}

const templateOf = (entry: ChatEntry) => (entry as ChatEntry & { template?: { body?: string } }).template;

// The number's WABA is registered, as an operator would: the admin syncs its templates at once.
beforeAll(async () => {
  const registered = await registerNumber(system);
  expect(registered.status).toBe(201);
  await eventually(async () => (await templateStatus('hello_world')) === 'APPROVED', {
    what: 'the seeded templates to be synced',
    timeoutMs: 30_000,
  });
}, 60_000);

describe('message templates from the WhatsApp account', () => {
  it('a template created through the admin is reviewed, offered to the operator, sent past the window, paused and refused before Meta', async () => {
    // Created through the admin's API: pending, then approved by Meta's review (a webhook).
    const name = `parcel_update_${system.runId}`;
    const created = await admin<MessageTemplateRecord>('POST', '/api/v2/templates', {
      waba_id: simulatorWabaId,
      name,
      language: 'en_US',
      category: 'UTILITY',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{1}}, your parcel {{2}} is on its way.',
          example: { body_text: [['Ana', '#1']] },
        },
      ],
    });
    expect(created).toMatchObject({ status: 201, json: { status: 'PENDING', name } });
    await eventually(async () => (await templateStatus(name)) === 'APPROVED', {
      what: 'the review webhook to approve it',
      timeoutMs: 30_000,
    });

    // A user whose 24 h window has closed (Meta's clock).
    const waId = '15557600001';
    const hi = await phone.say(waId, 'hello, where is my parcel?');
    await phone.choose(waId, isE2eAgent);
    await bus.waitForInbound(
      (event) => isAbout(event, waId) && event.wamid === hi.wamid,
      'the first message',
    );
    await phone.setLastInbound(waId, new Date(Date.now() - 25 * 3_600_000));

    // The operator's picker offers it (approved, this number's WABA), and sends it with its parameters.
    const operator = operatorSocket();
    try {
      await operator.waitFor((frame) => frame.type === 'welcome', 'welcome');
      const listed = await eventually(
        async () => {
          operator.frames.length = 0;
          operator.send({ type: 'list_templates', request_id: randomUUID(), wa_id: waId });
          const frame = await operator.waitFor((f) => f.type === 'templates', 'the templates');
          const templates = frame.templates as MessageTemplateRecord[];
          return templates.some((t) => t.name === name) ? templates : undefined;
        },
        { what: 'the new template in the picker', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(listed.every((t) => t.status === 'APPROVED')).toBe(true);
      operator.send({
        type: 'send_reply',
        request_id: 'reply-1',
        wa_id: waId,
        idempotency_key: randomUUID(),
        reply: { kind: 'template', name, language: 'en_US', body_parameters: ['Ana', '#48213'] },
      });
      await operator.waitFor((frame) => frame.type === 'reply_accepted', 'reply_accepted');
      const received = await phone.waitFor(
        waId,
        (entry) => entry.type === 'template' && templateOf(entry)?.body?.includes('#48213') === true,
        'the template on the phone',
      );
      expect(templateOf(received)?.body).toBe('Hi Ana, your parcel #48213 is on its way.');

      // The cost report: the operator's template is a billable utility message of this agent, today; the menu
      // the router sent the user is a service message (billed per message since 2026-10-01, §1.3).
      type CostRow = { agent_name: string | null; origin: string | null; category: string | null } & {
        messages: number;
        billable_messages: number;
      };
      const report = await eventually(
        async () => {
          const costs = await admin<{ data: CostRow[] }>('GET', '/api/v2/costs');
          const utility = costs.json.data.find(
            (row) => row.category === 'utility' && row.origin === 'operator',
          );
          return utility && costs.json.data.some((row) => row.origin === 'router') ? costs.json : undefined;
        },
        { what: 'the cost report to show the template', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(report.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            agent_name: system.agentName,
            origin: 'operator',
            category: 'utility',
            messages: 1,
            billable_messages: 1,
          }),
          expect.objectContaining({ agent_name: null, origin: 'router', category: 'service' }),
        ]),
      );

      // Paused by Meta (quality): refused before the simulator, with the reason, to the operator and the agent.
      const id = created.json.id;
      await fetch(`${system.simulator.url}/sim/templates/${id}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'PAUSED', reason: 'low quality' }),
      });
      await eventually(async () => (await templateStatus(name)) === 'PAUSED', {
        what: 'the pause to reach the store',
        timeoutMs: 30_000,
      });
      const sentBefore = (await phone.received(waId)).length;
      const refused = await eventually(
        async () => {
          operator.frames.length = 0;
          operator.send({
            type: 'send_reply',
            request_id: `reply-${randomUUID()}`,
            wa_id: waId,
            idempotency_key: randomUUID(),
            reply: { kind: 'template', name, language: 'en_US', body_parameters: ['Ana', '#48214'] },
          });
          const answer = await operator.waitFor(
            (f) => f.type === 'error' || f.type === 'reply_accepted',
            'an answer to the reply',
          );
          return answer.type === 'error' ? answer : undefined;
        },
        { what: 'the inbox to refuse the paused template', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(JSON.stringify(refused)).toContain('paused');
      const key = await bus.reply({
        waID: waId,
        message_type: 'template',
        template: {
          name,
          language: 'en_US',
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Ana' },
                { type: 'text', text: '#3' },
              ],
            },
          ],
        },
      });
      const error = await bus.waitForError((event) => event.idempotency_key === key, 'the paused template');
      expect(error).toMatchObject({ code: 'template_invalid', meta_error: { code: 132015 } });
      expect(error.text).toContain('paused (low quality)');
      expect((await phone.received(waId)).length).toBe(sentBefore);
    } finally {
      operator.socket.close();
    }
  });

  it('refuses at the Notifications API a notification with a missing parameter, by recipient and field', async () => {
    const notify = system.notify?.url ?? '';
    const post = (body: unknown) =>
      fetch(`${notify}/api/v1/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system.notifyKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // The store knows the number's WABA (beforeAll); order_shipped takes 2.
    const answer = await eventually(
      async () => {
        const response = await post({
          template: { name: 'order_shipped', language: 'en_US' },
          recipients: [{ to: '+15557600002', parameters: { body: ['Ana'] } }],
        });
        return response.status === 400 ? response : undefined;
      },
      { what: 'notify to know the templates', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(await answer.json()).toMatchObject({
      error: 'invalid_template',
      fields: [{ field: 'recipients.0.parameters.body', message: 'the body takes 2 parameter(s), 1 given' }],
    });
  });
});
