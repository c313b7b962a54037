import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';

export interface MediaViewerProps {
  src: string;
  alt: string;
  /** The download link (the signed URL) and the name to save it under. */
  href: string;
  filename?: string;
  onClose: () => void;
}

/** The full photo over the page: Escape, the close button or a click outside closes it; focus comes back. */
export function MediaViewer({ src, alt, href, filename, onClose }: MediaViewerProps) {
  const close = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCloseRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);
  return createPortal(
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes it (document listener); the click is a shortcut.
    <div
      className="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={alt}
      data-testid="media-viewer"
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="viewer-bar">
        <a href={href} download={filename ?? ''} data-testid="media-download" className="viewer-link">
          Download
        </a>
        <button type="button" ref={close} className="viewer-link" onClick={onClose} aria-label="Close">
          ✕ Close
        </button>
      </div>
      <img src={src} alt={alt} className="viewer-image" data-testid="media-viewer-image" />
    </div>,
    document.body,
  );
}
