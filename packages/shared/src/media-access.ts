import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MetaMediaType } from './meta-media-types.js';

/**
 * Where the broker keeps a media file and who may read it (issue 18 §1–2). One owner for the layout and the
 * credentials: the router names the path in agent events, the media service stores, serves and checks, the SDK
 * and the agent backend download and sign links.
 *
 * - A file is stored once per business number and Meta media id: inbound ids come from the webhook, outbound ids
 *   from the broker's upload to the Graph API, so both directions share one key space.
 * - An agent's media credential is `<agent slug>.<HMAC(MEDIA_SIGNING_KEY, slug)>`: the media service derives it
 *   again to check it, so nothing per agent is stored, and one agent's credential says nothing about another's.
 * - A browser (an `<img>` cannot send a header) gets a short-lived link: the path, an expiry and an HMAC keyed by
 *   the agent's credential, so an agent signs its own links without a round trip and never another agent's.
 */

/**
 * The media service's answer to an upload (`POST /v1/media`, 201; the agent backend's `POST /api/media` passes it
 * on): the Meta media id to send with, and where the broker keeps the file.
 */
export interface UploadedMedia {
  id: string;
  phone_number_id: string;
  type: MetaMediaType;
  mime_type: string;
  size: number;
  /** Hex digest of the bytes. */
  sha256: string;
  filename: string;
  path: string;
}

/** S3 object key of a media file. */
export const mediaObjectKey = (phoneNumberId: string, mediaId: string): string =>
  `media/${phoneNumberId}/${mediaId}`;

/** Where a media file's bytes are served, relative to the media service's base URL. */
export const mediaPath = (phoneNumberId: string, mediaId: string): string =>
  `/v1/media/${encodeURIComponent(phoneNumberId)}/${encodeURIComponent(mediaId)}`;

/** The longest a signed link may live: long enough to play a video, short enough that a leaked link dies. */
export const mediaLinkMaxTtlSeconds = 3600;

const base64url = (bytes: Buffer): string => bytes.toString('base64url');
const hmac = (key: string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

const slugPattern = /^[A-Za-z0-9._-]{1,200}$/;

/** The media credential of one agent (by slug). */
export function agentMediaToken(signingKey: string, agentSlug: string): string {
  if (!slugPattern.test(agentSlug)) throw new Error(`not an agent slug: ${agentSlug}`);
  return `${agentSlug}.${base64url(hmac(signingKey, `agent-media-token:${agentSlug}`))}`;
}

/** The agent a credential belongs to, or null when it is not one this deployment issued. */
export function agentOfMediaToken(signingKey: string, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const slug = token.slice(0, dot);
  if (!slugPattern.test(slug)) return null;
  return sameText(token, agentMediaToken(signingKey, slug)) ? slug : null;
}

export interface MediaLinkQuery {
  agent: string;
  /** Unix seconds. */
  exp: string;
  sig: string;
}

/** Query parameters that let a browser GET `path` until `expiresAt`, signed with the agent's credential. */
export function signMediaLink(agentToken: string, path: string, expiresAt: Date): MediaLinkQuery {
  const agent = agentToken.slice(0, agentToken.lastIndexOf('.'));
  const exp = String(Math.floor(expiresAt.getTime() / 1000));
  return { agent, exp, sig: base64url(hmac(agentToken, `${path}\n${exp}`)) };
}

export type MediaLinkCheck =
  | { ok: true; agent: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'too_long' };

/** Checks a signed link for `path` at `now`. */
export function checkMediaLink(
  signingKey: string,
  path: string,
  query: Partial<MediaLinkQuery>,
  now: Date,
): MediaLinkCheck {
  const { agent, exp, sig } = query;
  if (!agent || !exp || !sig || !slugPattern.test(agent) || !/^\d{1,12}$/.test(exp)) {
    return { ok: false, reason: 'invalid' };
  }
  const expected = signMediaLink(agentMediaToken(signingKey, agent), path, new Date(Number(exp) * 1000));
  if (!sameText(sig, expected.sig)) return { ok: false, reason: 'invalid' };
  const secondsLeft = Number(exp) - now.getTime() / 1000;
  if (secondsLeft <= 0) return { ok: false, reason: 'expired' };
  if (secondsLeft > mediaLinkMaxTtlSeconds + 60) return { ok: false, reason: 'too_long' };
  return { ok: true, agent };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
