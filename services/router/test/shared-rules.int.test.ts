import { eventually } from '@wa-broker/infra/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

// Meta's rules as packages/shared has them (issue 16), through the real router: the status order of
// whatsapp-cloud-api.md §4 and the read receipt an operator sends after the user left.
let h: Harness;
let user = 0;
const nextUser = () => `1556${h.id.replace(/\D/g, '').slice(0, 4)}${String(++user).padStart(4, '0')}`;
const atAgent = (predicate: (e: Record<string, unknown>) => boolean) =>
  h.received(h.topics('a1').in).filter(predicate);
const errorsFor = (waID: string) => h.received(h.topics('a1').error).filter((e) => e.waID === waID);

beforeAll(async () => {
  h = await startHarness();
  await h.putAgent(1, 'Sales');
  await h.watch([h.topics('a1').in, h.topics('a1').error]);
  await h.router.start();
});
afterAll(async () => h?.stop());

async function connect(waID: string) {
  const first = await h.text(waID, 'hello');
  await eventually(() => h.graph.to(waID).length >= 1, { what: 'menu' });
  await h.reply(waID, 'agent:1');
  await eventually(() => atAgent((e) => e.wamid === first)[0], { what: 'first message at the agent' });
}

async function reply(waID: string, key: string, text: string): Promise<string> {
  await h.agentSays(1, { waID, message_type: 'text', text, idempotency_key: key });
  const sent = await eventually(() => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes(text)), {
    what: `${text} sent`,
  });
  return `wamid.out.${h.graph.requests.indexOf(sent) + 1}`;
}

const readCalls = (wamid: string) =>
  h.graph.requests.filter((r) => r.body.status === 'read' && r.body.message_id === wamid);

const statusesOf = (wamid: string) =>
  atAgent((e) => e.type === 'status' && (e.status as { wamid: string }).wamid === wamid);

describe('shared rules in the router', () => {
  it('puts typing_indicator {type: text} on the read call of a typing indicator (issue 20 §3)', async () => {
    const waID = nextUser();
    await connect(waID);
    const question = await h.text(waID, 'is my order late?');
    await eventually(() => atAgent((e) => e.wamid === question)[0], { what: 'question at the agent' });
    await h.agentSays(1, {
      waID,
      message_type: 'mark_as_read',
      context_message_id: question,
      typing_indicator: true,
      idempotency_key: `typing-${waID}`,
    });
    const call = await eventually(
      () => h.graph.requests.find((r) => r.body.status === 'read' && r.body.message_id === question),
      { what: 'the typing indicator at the Graph API' },
    );
    expect(call.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: question,
      typing_indicator: { type: 'text' },
    });
  });

  it('refuses a typing indicator outside the open window or the session, sends the plain read receipt (issue 20 §3)', async () => {
    // A user whose window closed while in session with the agent: both their messages are 25 h old.
    const late = nextUser();
    const old = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    await h.text(late, 'old message', undefined, old);
    await eventually(() => h.graph.to(late).length >= 1, { what: 'menu' });
    const tap = `wamid.tap.${late}`;
    const button = { type: 'button_reply', button_reply: { id: 'agent:1', title: 'Sales' } };
    await h.inbound(late, { id: tap, timestamp: old, type: 'interactive', interactive: button });
    await eventually(() => atAgent((e) => e.waID === late && e.type === 'session_started')[0], {
      what: 'session',
    });
    // A user who left the agent with #exit: the window is open, the session is not the agent's.
    const left = nextUser();
    await connect(left);
    const bye = await h.text(left, 'bye');
    await h.text(left, '#exit');
    await eventually(() => atAgent((e) => e.waID === left && e.type === 'session_ended')[0], {
      what: 'session_ended',
    });

    for (const [waID, wamid] of [
      [late, tap],
      [left, bye],
    ] as const) {
      const read = { waID, message_type: 'mark_as_read', context_message_id: wamid };
      await h.agentSays(1, { ...read, typing_indicator: true, idempotency_key: `typing-${waID}` });
      await h.agentSays(1, { ...read, idempotency_key: `read-${waID}` });
    }
    const refusal = (waID: string) =>
      eventually(() => errorsFor(waID).find((e) => e.idempotency_key === `typing-${waID}`), {
        what: `typing indicator refused for ${waID}`,
      });
    expect(await refusal(late)).toMatchObject({
      code: 'window_closed',
      text: expect.stringContaining('typing indicator'),
    });
    expect(await refusal(left)).toMatchObject({ code: 'not_in_session' });
    // Each user's read call comes after the refused indicator on the same partition: it shows the router is past it.
    for (const wamid of [tap, bye]) {
      await eventually(() => readCalls(wamid).length === 1, { what: `read receipt of ${wamid}` });
      expect(readCalls(wamid).map((r) => r.body)).toEqual([
        { messaging_product: 'whatsapp', status: 'read', message_id: wamid },
      ]);
    }
    expect(errorsFor(late).filter((e) => e.idempotency_key === `read-${late}`)).toEqual([]);
    expect(errorsFor(left).filter((e) => e.idempotency_key === `read-${left}`)).toEqual([]);
  });

  it('routes statuses forward only: a late delivered or failed after read is dropped, failed after sent reaches -error', async () => {
    const waID = nextUser();
    await connect(waID);
    const read = await reply(waID, `k-${waID}`, 'Hi from Sales');
    await h.agentSays(1, { waID, message_type: 'text', text: 'Hi from Sales', idempotency_key: `k-${waID}` });
    await h.status(waID, read, 'read');
    await h.status(waID, read, 'delivered');
    await h.status(waID, read, 'failed', [{ code: 131026, title: 'Message undeliverable' }]);
    const failed = await reply(waID, `k2-${waID}`, 'Second from Sales');
    await h.status(waID, failed, 'sent');
    await h.status(waID, failed, 'failed', [{ code: 131047, title: 'Re-engagement message' }]);
    await h.status(waID, failed, 'read');

    const error = await eventually(() => errorsFor(waID).find((e) => e.wamid === failed), { what: '-error' });
    // A failed 131047 status is the window error Meta also gives as a 400 (whatsapp-cloud-api.md §6).
    expect(error).toMatchObject({ code: 'window_closed', meta_error: { code: 131047 } });
    // A message after them, on the same user's partition: once it reached the agent, so had every status before it.
    const barrier = await h.text(waID, 'anything else?');
    await eventually(() => atAgent((e) => e.wamid === barrier)[0], { what: 'the barrier message' });
    expect(statusesOf(read).map((e) => e.text)).toEqual(['read']);
    expect(statusesOf(read)[0]).toMatchObject({ status: { idempotency_key: `k-${waID}` } });
    expect(errorsFor(waID).filter((e) => e.wamid === read)).toEqual([]);
    expect(statusesOf(failed).map((e) => e.text)).toEqual(['sent', 'failed']);
    expect(h.graph.to(waID).filter((r) => JSON.stringify(r.body).includes('Hi from Sales'))).toHaveLength(1);
  });

  it('after #exit, sends the read receipt for a message the agent received, and still refuses a reply', async () => {
    const waID = nextUser();
    await connect(waID);
    const bye = await h.text(waID, 'thanks, bye');
    await eventually(() => atAgent((e) => e.wamid === bye)[0], { what: 'bye at the agent' });
    await h.text(waID, '#exit');
    await eventually(() => atAgent((e) => e.waID === waID && e.type === 'session_ended')[0], {
      what: 'session_ended',
    });

    await h.agentSays(1, {
      waID,
      message_type: 'mark_as_read',
      context_message_id: bye,
      idempotency_key: 'read-1',
    });
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'one more thing',
      idempotency_key: `late-${waID}`,
    });

    const receipt = await eventually(
      () => h.graph.requests.find((r) => r.body.status === 'read' && r.body.message_id === bye),
      { what: 'the read receipt at the Graph API' },
    );
    expect(receipt.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: bye });
    expect(receipt.body).not.toHaveProperty('typing_indicator');
    const refused = await eventually(
      () => errorsFor(waID).find((e) => e.idempotency_key === `late-${waID}`),
      {
        what: 'late reply refused',
      },
    );
    expect(refused).toMatchObject({ code: 'not_in_session' });
    expect(errorsFor(waID).filter((e) => e.idempotency_key === 'read-1')).toEqual([]);
    expect(h.graph.to(waID).some((r) => JSON.stringify(r.body).includes('one more thing'))).toBe(false);
  });
});
