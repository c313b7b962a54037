/** Just enough of XMLHttpRequest to see what an upload sends and to answer it by hand. */
export class FakeXhr {
  static instances: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.instances.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
  fail() {
    this.onerror?.();
  }
}

export const lastXhr = () => {
  const xhr = FakeXhr.instances.at(-1);
  if (!xhr) throw new Error('no request was made');
  return xhr;
};

export const uploaded = (overrides: Record<string, unknown> = {}) => ({
  id: 'meta-media-1',
  phone_number_id: '111',
  type: 'image',
  mime_type: 'image/png',
  size: 4,
  sha256: 'ab',
  filename: 'shot.png',
  path: '/v1/media/111/meta-media-1',
  ...overrides,
});
