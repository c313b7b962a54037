import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { isE2eAgent, Phone } from '../src/phone.js';
import { systemForFile } from '../src/system-for-file.js';

const { system, phone, bus } = systemForFile({ agentBackend: false, notify: true });

type LogLine = {
  kind: string;
  type: string;
  text: string | null;
  wamid: string | null;
  agent: { name: string | null } | null;
};
type Conversation = {
  user: string;
  state: string;
  agent: { id: string; name: string | null } | null;
  event_log: LogLine[];
};

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.notify?.url}/api/v1/conversations${path}`, {
    headers: { authorization: `Bearer ${system.notifyKey}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls the conversation API; on timeout the system's logs say which side stalled. */
function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 25_000): Promise<T> {
  return eventually(probe, { what, timeoutMs, intervalMs: 250, detail: () => system.logs() });
}

describe('the call-event log through the simulator', () => {
  it('shows a conversation’s events in order: message, menu, choice, session, reply and its statuses, end', async () => {
    const waId = '15557200001';
    const hi = await phone.say(waId, 'Hi, I need help with order 48213');
    // No pause before the tap: the log orders by when the broker saw each event, so a choice made within the
    // menu's second still comes after it (it used to order by Meta's second, then arrival: a race; issue 14).
    const { choice } = await phone.choose(waId, isE2eAgent);
    // The user's key, as agents and the log know them: their BSUID (shared/user-identity.ts).
    const { waID: user } = await bus.waitForInbound((e) => e.wamid === hi.wamid, 'the first message');
    await bus.reply({ waID: user, message_type: 'text', text: 'Let me check 48213.' });
    const reply = await phone.waitFor(
      waId,
      (entry) => Phone.text(entry) === 'Let me check 48213.',
      'the reply',
    );

    const withAgent = await until(async () => {
      const { status, body } = await api<Conversation>(`/${user}`);
      const read = body.event_log?.some(
        (e) => e.kind === 'status' && e.wamid === reply.wamid && e.type === 'read',
      );
      return status === 200 && read ? body : undefined;
    }, 'the reply read in the log');
    expect(withAgent).toMatchObject({ state: 'agent', agent: { name: system.agentName } });
    const lines = withAgent.event_log.map((e) => `${e.kind}:${e.text ?? e.type}`);
    const order = [
      'inbound:Hi, I need help with order 48213',
      `inbound:${choice.title}`,
      'session_started:menu_choice',
      'outbound:Let me check 48213.',
    ];
    const positions = order.map((line) => lines.indexOf(line));
    expect(
      positions.every((p) => p >= 0),
      JSON.stringify(lines),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The router's menu comes between the first message and the choice; the reply's statuses after the reply.
    const menuAt = withAgent.event_log.findIndex((e) => e.kind === 'outbound' && e.type === 'interactive');
    expect(menuAt).toBeGreaterThan(positions[0] ?? 0);
    expect(menuAt).toBeLessThan(positions[1] ?? 0);
    const statuses = withAgent.event_log.filter((e) => e.wamid === reply.wamid).map((e) => e.type);
    expect(statuses).toEqual(['sent', 'delivered', 'read']);
    const replySent = withAgent.event_log.findIndex((e) => e.wamid === reply.wamid && e.type === 'sent');
    expect(replySent).toBeGreaterThan(positions[3] ?? 0);

    const listed = await api<{ data: { user: string }[] }>(
      `?state=agent&agent=${encodeURIComponent(system.agentName)}`,
    );
    expect(listed.body.data.map((c) => c.user)).toContain(user);

    await phone.say(waId, '#exit');
    const back = await until(async () => {
      const { body } = await api<Conversation>(`/${user}`);
      return body.state === 'menu' && body.event_log.some((e) => e.kind === 'session_ended')
        ? body
        : undefined;
    }, 'the session end in the log');
    expect(back.event_log.at(-1)?.kind).not.toBe('session_started');
    expect(
      (await api<{ data: { user: string }[] }>('?state=agent')).body.data.map((c) => c.user),
    ).not.toContain(user);
  });
});
