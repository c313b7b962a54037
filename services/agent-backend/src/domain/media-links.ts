import { signMediaLink } from '@wa-broker/shared/media-access';
import type { OperatorMessage, ServerFrame } from '@wa-broker/shared/operator-protocol';

/** Links change every half hour and live 30–60 minutes: a browser caches a file while its link stays the same. */
const stepSeconds = 1800;

/** The agent backend's route for a media-service path (`/v1/media/…` → `/api/media/…`). */
export const proxyPathOf = (mediaServicePath: string): string =>
  `/api${mediaServicePath.slice('/v1'.length)}`;

/**
 * Adds to every media bubble of a frame a same-origin link signed with the agent's media credential
 * (media-access.ts): the operator's browser loads the file through this backend, and the media service checks
 * the signature, so the link opens only that file, only for this agent, and only for a while.
 */
export function mediaLinker(agentToken: string, now: () => Date): (frame: ServerFrame) => ServerFrame {
  const link = (message: OperatorMessage): OperatorMessage => {
    const path = message.media?.path;
    if (!message.media || !path) return message;
    const seconds = Math.ceil(now().getTime() / 1000 / stepSeconds) * stepSeconds + stepSeconds;
    const query = new URLSearchParams({ ...signMediaLink(agentToken, path, new Date(seconds * 1000)) });
    return { ...message, media: { ...message.media, url: `${proxyPathOf(path)}?${query}` } };
  };
  return (frame) => {
    switch (frame.type) {
      case 'message':
      case 'reply_accepted':
        return { ...frame, message: link(frame.message) };
      case 'history':
        return { ...frame, messages: frame.messages.map(link) };
      case 'conversations':
        return {
          ...frame,
          conversations: frame.conversations.map((c) =>
            c.last_message ? { ...c, last_message: link(c.last_message) } : c,
          ),
        };
      default:
        return frame;
    }
  };
}
