import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import type { OperatorReply } from '@wa-broker/shared/operator-protocol';
import { useEffect, useRef, useState } from 'react';
import type { MediaUploader, UploadedMedia } from '../../../lib/media-upload.js';
import { describeUploadFailure } from '../api/describe-failure.js';
import { captionedTypes } from '../components/media-file-check.js';
import { checkReply, type FieldProblem } from '../components/reply-check.js';
import type { SendResult } from './use-inbox.js';

export interface MediaDraft {
  file: File;
  type: MetaMediaType;
  caption: string;
  voice: boolean;
  animated: boolean;
}

export type MediaSendPhase =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number }
  | { kind: 'sending' };

/** The `send_reply` a draft becomes once uploaded: a caption, file name or voice flag only where Meta takes one. */
export function mediaReplyOf(draft: MediaDraft, id: string): OperatorReply {
  const caption = draft.caption.trim();
  return {
    kind: 'media',
    media_type: draft.type,
    id,
    ...(caption && captionedTypes.has(draft.type) ? { caption } : {}),
    ...(draft.type === 'document' && draft.file.name ? { filename: draft.file.name } : {}),
    ...(draft.type === 'audio' && draft.voice ? { voice: true } : {}),
  };
}

/**
 * Checks a media draft, uploads the file (progress, cancel), then sends the reply over the socket. The upload's
 * id is kept for this draft, so sending again after a refused send (socket dropped, window closed) does not
 * upload the file twice. Leaving (the draft removed, another conversation) cancels an upload under way.
 */
export function useMediaSend(options: {
  onUpload: MediaUploader;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  onSent: () => void;
}) {
  const [phase, setPhase] = useState<MediaSendPhase>({ kind: 'idle' });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const uploaded = useRef<UploadedMedia | null>(null);
  const upload = useRef<AbortController | null>(null);
  useEffect(() => () => upload.current?.abort(), []);

  const send = async (draft: MediaDraft) => {
    setNotice(null);
    const checked = checkReply(mediaReplyOf(draft, uploaded.current?.id ?? 'not-uploaded-yet'));
    if ('problems' in checked) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    let media = uploaded.current;
    if (!media) {
      const controller = new AbortController();
      upload.current = controller;
      setPhase({ kind: 'uploading', loaded: 0, total: draft.file.size });
      const result = await options.onUpload({
        file: draft.file,
        type: draft.type,
        filename: draft.file.name,
        ...(draft.animated ? { animated: true } : {}),
        onProgress: ({ loaded, total }) => setPhase({ kind: 'uploading', loaded, total }),
        signal: controller.signal,
      });
      upload.current = null;
      if (!result.ok) {
        setPhase({ kind: 'idle' });
        const failure = describeUploadFailure(result);
        if (result.kind === 'cancelled') setNotice(failure.message);
        else setProblems([...failure.problems, { field: 'upload', message: failure.message }]);
        return;
      }
      media = result.media;
      uploaded.current = media;
    }
    setPhase({ kind: 'sending' });
    const sent = await options.onSend(mediaReplyOf(draft, media.id));
    if (!sent.ok) {
      setPhase({ kind: 'idle' });
      setProblems([
        { field: 'send', message: sent.message },
        ...(sent.issues ?? []).map((issue) => ({ field: issue.path, message: issue.message })),
      ]);
      return;
    }
    options.onSent();
  };

  return { phase, problems, notice, send, cancel: () => upload.current?.abort() };
}
