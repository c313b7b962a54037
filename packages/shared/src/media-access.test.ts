import { describe, expect, it } from 'vitest';
import {
  agentMediaToken,
  agentOfMediaToken,
  checkMediaLink,
  mediaPath,
  signMediaLink,
} from './media-access.js';

const key = 'test-media-signing-key';
const now = new Date('2026-12-02T10:00:00Z');
const inSeconds = (s: number) => new Date(now.getTime() + s * 1000);

describe('media credentials and links', () => {
  it('gives each agent its own credential, which names only that agent', () => {
    const a = agentMediaToken(key, 'agent_A');
    expect(agentOfMediaToken(key, a)).toBe('agent_A');
    expect(agentOfMediaToken(key, agentMediaToken(key, 'agent_B'))).toBe('agent_B');
    // Renaming the slug in a credential does not make it another agent's.
    expect(agentOfMediaToken(key, `agent_B${a.slice('agent_A'.length)}`)).toBeNull();
    expect(agentOfMediaToken('another-deployment', a)).toBeNull();
    expect(agentOfMediaToken(key, 'garbage')).toBeNull();
  });

  it('signs a link for one path until its expiry', () => {
    const path = mediaPath('106540352242922', '1003383421387256');
    const query = signMediaLink(agentMediaToken(key, 'agent_A'), path, inSeconds(300));
    expect(checkMediaLink(key, path, query, now)).toEqual({ ok: true, agent: 'agent_A' });
    expect(checkMediaLink(key, path, query, inSeconds(301))).toEqual({ ok: false, reason: 'expired' });
    expect(checkMediaLink(key, mediaPath('106540352242922', '1'), query, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(checkMediaLink(key, path, { ...query, agent: 'agent_B' }, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(checkMediaLink(key, path, { ...query, exp: String(Number(query.exp) + 3600) }, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const tooLong = signMediaLink(agentMediaToken(key, 'agent_A'), path, inSeconds(86_400));
    expect(checkMediaLink(key, path, tooLong, now)).toEqual({ ok: false, reason: 'too_long' });
  });
});
