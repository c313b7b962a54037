import { createHash, randomBytes } from 'node:crypto';
import type { Received } from './simulator.js';

export const sha256 = (bytes: Buffer, encoding: 'hex' | 'base64') =>
  createHash('sha256').update(bytes).digest(encoding);

/** A `multipart/form-data` body as curl sends it: fields, then the file part with its own type. */
export function multipart(
  fields: Record<string, string>,
  file?: { bytes: Buffer; filename: string; contentType: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----sim${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Every `messages[]` item the stand-in webhook received. */
export function messageItems(received: Received[]): Record<string, unknown>[] {
  return received.flatMap((post) =>
    (post.body.entry as { changes: { value: { messages?: Record<string, unknown>[] } }[] }[]).flatMap(
      (entry) => entry.changes.flatMap((change) => change.value.messages ?? []),
    ),
  );
}
