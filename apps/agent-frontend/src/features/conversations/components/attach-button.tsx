import { acceptedMimeTypes } from './media-file-check.js';

/** The file picker, a label that looks like a button around a visually hidden (still focusable) input. */
export function AttachButton({
  disabled,
  onFile,
  label = 'Attach',
}: {
  disabled: boolean;
  onFile: (file: File) => void;
  label?: string;
}) {
  return (
    <label
      className={`attach ${disabled ? 'is-disabled' : ''}`}
      title="Attach a photo, video, audio file, document or sticker (or drop or paste it here)"
    >
      <span aria-hidden="true">📎</span> {label}
      <input
        type="file"
        className="sr-only"
        data-testid="attach-file"
        aria-label="Attach a file"
        accept={acceptedMimeTypes}
        disabled={disabled}
        onChange={(event) => {
          const file = event.target.files?.[0];
          // The same file chosen again is a new draft.
          event.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
