import { type ClipboardEvent, type DragEvent, useState } from 'react';

const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

/**
 * A pasted file, unless the clipboard also holds text (a copied paragraph from Word or a page carries a picture
 * of itself too: the text is what was meant).
 */
export function fileFromClipboard(data: DataTransfer | null): File | null {
  if (!data || data.getData('text/plain')) return null;
  const [file] = Array.from(data.files ?? []);
  if (file) return file;
  const item = Array.from(data.items ?? []).find((entry) => entry.kind === 'file');
  return item?.getAsFile() ?? null;
}

/**
 * Drag-and-drop and paste of a file anywhere on the chat pane. Files dropped on the pane never open in the tab
 * (the browser's default), even while attaching is off.
 */
export function useFileDrop(onFile: (file: File) => void, enabled: boolean) {
  const [depth, setDepth] = useState(0);
  return {
    dragging: enabled && depth > 0,
    handlers: {
      onDragEnter: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        setDepth((n) => n + 1);
      },
      onDragOver: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = enabled ? 'copy' : 'none';
      },
      onDragLeave: (event: DragEvent) => {
        if (carriesFiles(event)) setDepth((n) => Math.max(0, n - 1));
      },
      onDrop: (event: DragEvent) => {
        const [file] = Array.from(event.dataTransfer?.files ?? []);
        if (!file) return;
        event.preventDefault();
        setDepth(0);
        if (enabled) onFile(file);
      },
      onPaste: (event: ClipboardEvent) => {
        if (!enabled) return;
        const file = fileFromClipboard(event.clipboardData);
        if (!file) return;
        event.preventDefault();
        onFile(file);
      },
    },
  };
}
