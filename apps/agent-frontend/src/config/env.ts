import { z } from 'zod';

const schema = z.object({
  /** Backend WebSocket URL; by default the page's own host at `/ws` (the backend can serve this UI). */
  VITE_WS_URL: z.string().startsWith('ws').optional(),
});

export const env = schema.parse(import.meta.env);

/** The socket's address; signed in, the session cookie opens it, a development token goes as `?token=`. */
export function socketUrl(location: Location, token?: string | null): string {
  const base = env.VITE_WS_URL ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return token ? `${base}?token=${encodeURIComponent(token)}` : base;
}
