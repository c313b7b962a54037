/** The operator's session cookie: httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it). */
export const sessionCookieName = 'wa_operator_session';

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const split = part.indexOf('=');
    if (split < 0) continue;
    if (part.slice(0, split).trim() !== name) continue;
    const value = part.slice(split + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function sessionCookie(token: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const attributes = [
    `${sessionCookieName}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

export const clearedSessionCookie = (secure: boolean) => sessionCookie('', { maxAgeSeconds: 0, secure });
