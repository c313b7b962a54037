import { agentOfMediaToken, checkMediaLink, type MediaLinkQuery } from '@wa-broker/shared/media-access';

export type ReaderCheck = { ok: true; agent: string } | { ok: false; status: 401; reason: string };

/**
 * Who is asking for a file: an agent's media credential in `Authorization: Bearer`, or a signed link
 * (`agent`, `exp`, `sig` in the query) for browsers. Whether that agent owns the file is checked after.
 */
export function readerOf(input: {
  signingKey: string;
  path: string;
  authorization: string | undefined;
  query: Partial<MediaLinkQuery>;
  now: Date;
}): ReaderCheck {
  const bearer = /^Bearer (.+)$/i.exec(input.authorization ?? '')?.[1]?.trim();
  if (bearer) {
    const agent = agentOfMediaToken(input.signingKey, bearer);
    return agent ? { ok: true, agent } : { ok: false, status: 401, reason: 'unknown media credential' };
  }
  if (input.query.sig) {
    const link = checkMediaLink(input.signingKey, input.path, input.query, input.now);
    if (link.ok) return link;
    const reasons = { invalid: 'invalid link', expired: 'link expired', too_long: 'link lives too long' };
    return { ok: false, status: 401, reason: reasons[link.reason] };
  }
  return { ok: false, status: 401, reason: 'a media credential or a signed link is required' };
}
