import {
  baseMimeType,
  checkOutboundMedia,
  type MediaCheckProblem,
  mediaTypeForMime,
} from '@wa-broker/shared/meta-media-rules';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';

export interface UploadRequest {
  /** The body's Content-Type. */
  mimeType: string | undefined;
  size: number;
  /** `?type=`; default: the one type the MIME type fits. */
  type?: string;
  filename?: string;
  animated?: boolean;
}

export type UploadProblem = MediaCheckProblem | { field: 'type'; message: string };

export type UploadPlan =
  | { ok: true; type: MetaMediaType; mimeType: string; filename: string }
  | { ok: false; problems: UploadProblem[] };

const extensionByMime: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/**
 * Checks an upload against Meta's table (whatsapp-cloud-api.md §8 item 8) before anything reaches Meta, with
 * every problem by field. The MIME type is sent as given (`audio/ogg; codecs=opus` stays a voice note).
 */
export function planUpload(request: UploadRequest): UploadPlan {
  const mimeType = request.mimeType?.trim() ?? '';
  if (request.type !== undefined && !(metaMediaTypes as readonly string[]).includes(request.type)) {
    return {
      ok: false,
      problems: [{ field: 'type', message: `type must be one of ${metaMediaTypes.join(', ')}` }],
    };
  }
  const type = (request.type as MetaMediaType | undefined) ?? mediaTypeForMime(mimeType);
  if (!type) {
    return {
      ok: false,
      problems: [
        {
          field: 'mime_type',
          message: `no WhatsApp media type accepts ${baseMimeType(mimeType) || 'a file without a type'}`,
        },
      ],
    };
  }
  const problems: UploadProblem[] = checkOutboundMedia({
    type,
    mimeType,
    size: request.size,
    ...(request.animated !== undefined ? { animated: request.animated } : {}),
  });
  const filename = request.filename?.trim() || `${type}.${extensionByMime[baseMimeType(mimeType)] ?? 'bin'}`;
  if (filename.length > 240 || /[\\/]/.test(filename) || hasControlCharacter(filename)) {
    problems.push({
      field: 'filename',
      message: 'filename must be at most 240 characters, without slashes or control characters',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, type, mimeType, filename };
}

const hasControlCharacter = (text: string) =>
  Array.from(text).some((char) => (char.codePointAt(0) ?? 0) < 0x20);
