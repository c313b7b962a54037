import type { TemplateReply } from '@wa-broker/shared/operator-protocol';
import { useEffect, useRef, useState } from 'react';
import type { MediaUploader } from '../../../lib/media-upload.js';
import { describeUploadFailure } from '../api/describe-failure.js';
import { checkHeaderFile } from '../components/media-file-check.js';
import type { FieldProblem } from '../components/reply-check.js';
import type { MediaSendPhase } from './use-media-send.js';

export type HeaderMediaType = NonNullable<TemplateReply['header_media']>['type'];

/**
 * The file of a template's image, video or document header: checked against Meta's table for that type (nothing
 * is uploaded while it fails), uploaded at once with the inbox's uploader (progress, cancel), its media id kept
 * as the reply's `header_media`. Choosing another file, or `reset` (another template), cancels an upload under way.
 */
export function useTemplateHeaderUpload(onUpload: MediaUploader | undefined) {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<MediaSendPhase>({ kind: 'idle' });
  const [media, setMedia] = useState<TemplateReply['header_media'] | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const upload = useRef<AbortController | null>(null);
  useEffect(() => () => upload.current?.abort(), []);

  const reset = (chosen: File | null = null) => {
    const previous = upload.current;
    upload.current = null;
    previous?.abort();
    setFile(chosen);
    setMedia(null);
    setProblems([]);
    setNotice(null);
    setPhase({ kind: 'idle' });
  };

  const choose = async (chosen: File | null, type: HeaderMediaType) => {
    reset(chosen);
    if (!chosen) return;
    const checked = checkHeaderFile(chosen, type);
    if (checked.length > 0) return setProblems(checked);
    if (!onUpload) return setProblems([{ field: 'upload', message: 'Files cannot be uploaded here.' }]);
    const controller = new AbortController();
    upload.current = controller;
    setPhase({ kind: 'uploading', loaded: 0, total: chosen.size });
    const result = await onUpload({
      file: chosen,
      type,
      filename: chosen.name,
      onProgress: ({ loaded, total }) => {
        if (upload.current === controller) setPhase({ kind: 'uploading', loaded, total });
      },
      signal: controller.signal,
    });
    // Another file or template since: this upload's answer is no longer wanted.
    if (upload.current !== controller) return;
    upload.current = null;
    setPhase({ kind: 'idle' });
    if (!result.ok) {
      const failure = describeUploadFailure(result);
      if (result.kind === 'cancelled') setNotice(failure.message);
      else setProblems([...failure.problems, { field: 'upload', message: failure.message }]);
      return;
    }
    setMedia({
      type,
      id: result.media.id,
      ...(type === 'document' && chosen.name ? { filename: chosen.name } : {}),
    });
  };

  return { file, phase, media, problems, notice, choose, reset, cancel: () => upload.current?.abort() };
}
