import { agentMediaToken, checkMediaLink, mediaPath } from '@wa-broker/shared/media-access';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { describe, expect, it } from 'vitest';
import { mediaLinker, proxyPathOf } from './media-links.js';

const signingKey = 'media-links-test-signing-key-0123456789';
const now = new Date('2026-12-02T10:10:00Z');
const path = mediaPath('106540352242922', '555');
const photo: OperatorMessage = {
  id: 'wamid.1',
  wa_id: '15550001111',
  direction: 'in',
  type: 'image',
  text: 'The box',
  timestamp: now.toISOString(),
  media: { id: '555', path, mime_type: 'image/jpeg', caption: 'The box' },
};

describe('media links in operator frames (issue 18 §2)', () => {
  const link = mediaLinker(agentMediaToken(signingKey, 'agent_A'), () => now);

  it('gives every media bubble a same-origin link the media service accepts for this agent only, for 30–60 min', () => {
    const frame = link({ v: 1, type: 'history', wa_id: '15550001111', messages: [photo], next_before: null });
    const url = frame.type === 'history' ? frame.messages[0]?.media?.url : undefined;
    expect(url?.startsWith(`${proxyPathOf(path)}?`)).toBe(true);
    expect(proxyPathOf(path)).toBe('/api/media/106540352242922/555');
    const query = Object.fromEntries(new URL(url ?? '', 'http://x').searchParams);
    expect(checkMediaLink(signingKey, path, query, now)).toEqual({ ok: true, agent: 'agent_A' });
    const minutesLeft = (Number(query.exp) * 1000 - now.getTime()) / 60_000;
    expect(minutesLeft).toBeGreaterThanOrEqual(30);
    expect(minutesLeft).toBeLessThanOrEqual(60);
    expect(checkMediaLink(signingKey, mediaPath('106540352242922', '556'), query, now).ok).toBe(false);
  });

  it('links pushed messages and list previews, and leaves bubbles without a stored file alone', () => {
    const pushed = link({ v: 1, type: 'message', message: photo });
    expect(pushed.type === 'message' && pushed.message.media?.url).toBeTruthy();
    const text: OperatorMessage = { ...photo, type: 'text', media: undefined };
    expect(link({ v: 1, type: 'message', message: text })).toEqual({ v: 1, type: 'message', message: text });
    const noPath: OperatorMessage = { ...photo, media: { id: '555' } };
    expect(link({ v: 1, type: 'message', message: noPath })).toEqual({
      v: 1,
      type: 'message',
      message: noPath,
    });
  });
});
