import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';

const isMediaType = (type: string): type is MetaMediaType =>
  (metaMediaTypes as readonly string[]).includes(type);

/** The media type of a bubble: an inbound message's type, or what an operator's media reply was sent as. */
export function mediaTypeOf(message: OperatorMessage): MetaMediaType | undefined {
  if (message.direction === 'system') return undefined;
  if (message.outbound?.kind === 'media') return message.outbound.media_type;
  return isMediaType(message.type) ? message.type : undefined;
}

/** What a media bubble shows: the file's link, caption, name and whether it is a voice note. */
export function mediaDetailsOf(message: OperatorMessage) {
  const sent = message.outbound?.kind === 'media' ? message.outbound : undefined;
  const media = message.media;
  return {
    url: media?.url,
    caption: media?.caption ?? sent?.caption,
    filename: media?.filename ?? sent?.filename,
    voice: Boolean(media?.voice ?? sent?.voice),
    size: media?.size,
    mimeType: media?.mime_type,
  };
}

/**
 * The signed link with `wait=<ms>`: the media service holds the answer that long for a file still on its way
 * into storage (a message's file arrives a moment after the message). 0 asks without waiting.
 */
export function withWait(url: string, waitMs: number): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('wait', String(waitMs));
  return `${path}?${params}`;
}

export const mediaLabels: Record<MetaMediaType, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
};
