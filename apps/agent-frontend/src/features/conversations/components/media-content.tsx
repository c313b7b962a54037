import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { useState } from 'react';
import { useMediaStatus } from '../hooks/use-media-status.js';
import { humanSize } from './format.js';
import { mediaDetailsOf, mediaLabels } from './media-message.js';
import { isShowable, MediaProblem } from './media-problem.js';
import { MediaViewer } from './media-viewer.js';

type Details = ReturnType<typeof mediaDetailsOf>;
interface Shown {
  url: string;
  details: Details;
  label: string;
}

/**
 * A photo, sticker, audio or voice note, video or document in a bubble, from its signed link, with its caption
 * under it. Without a link (the backend has no media service) the old placeholder says what it was.
 */
export function MediaContent({ message, type }: { message: OperatorMessage; type: MetaMediaType }) {
  const details = mediaDetailsOf(message);
  const label = type === 'audio' && details.voice ? 'Voice note' : mediaLabels[type];
  const { url } = details;
  return (
    <>
      {!url ? (
        <p className="media-placeholder">
          📎 {label}
          {details.filename ? ` · ${details.filename}` : ''}
        </p>
      ) : type === 'image' ? (
        <ImageMedia url={url} details={details} label={label} />
      ) : type === 'sticker' ? (
        <StickerMedia url={url} details={details} label={label} />
      ) : type === 'audio' ? (
        <AudioMedia url={url} details={details} label={label} />
      ) : type === 'video' ? (
        <VideoMedia url={url} details={details} label={label} />
      ) : (
        <DocumentMedia url={url} details={details} label={label} />
      )}
      {details.caption && <p className="media-caption">{details.caption}</p>}
    </>
  );
}

function ImageMedia({ url, details, label }: Shown) {
  const status = useMediaStatus(url, false, details.size !== undefined);
  const [open, setOpen] = useState(false);
  if (!isShowable(status.availability))
    return (
      <MediaProblem availability={status.availability} label={label} href={url} onRetry={status.retry} />
    );
  const alt = details.caption ? `${label}: ${details.caption}` : label;
  return (
    <>
      <button type="button" className="media-open" onClick={() => setOpen(true)} aria-label={`Open ${label}`}>
        <img
          key={status.attempt}
          className="media-image"
          data-testid="media-image"
          src={status.src}
          alt={alt}
          onError={status.failed}
        />
      </button>
      {open && (
        <MediaViewer
          src={status.src}
          alt={alt}
          href={url}
          filename={details.filename}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function StickerMedia({ url, details, label }: Shown) {
  const status = useMediaStatus(url, false, details.size !== undefined);
  if (!isShowable(status.availability))
    return (
      <MediaProblem availability={status.availability} label={label} href={url} onRetry={status.retry} />
    );
  return (
    <img
      key={status.attempt}
      className="media-sticker"
      data-testid="media-sticker"
      src={status.src}
      alt={label}
      onError={status.failed}
    />
  );
}

function AudioMedia({ url, details, label }: Shown) {
  const status = useMediaStatus(url, false, details.size !== undefined);
  if (!isShowable(status.availability))
    return (
      <MediaProblem availability={status.availability} label={label} href={url} onRetry={status.retry} />
    );
  return (
    <figure className="media-audio">
      <figcaption>{label}</figcaption>
      {/* biome-ignore lint/a11y/useMediaCaption: a user's voice note has no captions to offer */}
      <audio
        key={status.attempt}
        data-testid="media-audio"
        controls
        preload="metadata"
        src={status.src}
        aria-label={label}
        onError={status.failed}
      />
    </figure>
  );
}

function VideoMedia({ url, details, label }: Shown) {
  const status = useMediaStatus(url, false, details.size !== undefined);
  if (!isShowable(status.availability))
    return (
      <MediaProblem availability={status.availability} label={label} href={url} onRetry={status.retry} />
    );
  return (
    // biome-ignore lint/a11y/useMediaCaption: a user's video has no captions to offer
    <video
      key={status.attempt}
      className="media-video"
      data-testid="media-video"
      controls
      preload="metadata"
      src={status.src}
      aria-label={label}
      onError={status.failed}
    />
  );
}

function DocumentMedia({ url, details, label }: Shown) {
  const status = useMediaStatus(url, true, details.size !== undefined);
  const name = details.filename ?? label;
  const size = details.size ?? status.size;
  if (!isShowable(status.availability))
    return <MediaProblem availability={status.availability} label={name} href={url} onRetry={status.retry} />;
  return (
    <div className="media-document">
      <span className="media-document-icon" aria-hidden="true">
        📄
      </span>
      <span className="media-document-text">
        <strong className="media-document-name">{name}</strong>
        <span className="muted">
          {[size !== undefined ? humanSize(size) : undefined, details.mimeType].filter(Boolean).join(' · ')}
        </span>
      </span>
      <a
        href={url}
        download={details.filename ?? ''}
        data-testid="media-document"
        aria-label={`Download ${name}`}
      >
        Download
      </a>
    </div>
  );
}
