import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs headers announcing `contentLength` bytes and only `firstChunk` of them, reads the answer, then closes.
 * A server that refuses a body by its Content-Length (413) answers and closes before the rest is written: a
 * client writing the whole body (fetch) then fails with EPIPE/ECONNRESET instead of reading that answer.
 */
export function postHeadThenClose(request: {
  url: string;
  headers: Record<string, string>;
  contentLength: number;
  firstChunk: Buffer;
  timeoutMs?: number;
}): Promise<RawAnswer> {
  const url = new URL(request.url);
  const head = [
    `POST ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    `content-length: ${request.contentLength}`,
    'connection: close',
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no complete answer in ${request.timeoutMs ?? 10_000} ms: ${received}`)),
      request.timeoutMs ?? 10_000,
    );
    const finish = (closed = false) => {
      const answer = parseAnswer(received, closed);
      if (!answer) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
      return true;
    };
    socket.on('connect', () => {
      socket.write(head);
      socket.write(request.firstChunk);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    // The server may reset the connection after its answer: what was read before still counts.
    socket.on('error', (error) => {
      if (!finish(true)) fail(error);
    });
    socket.on('end', () => {
      if (!finish(true)) fail(new Error(`connection closed before a complete answer: ${received}`));
    });
  });
}

/** The answer once its headers and its Content-Length bytes of body (or all until closed) have arrived. */
function parseAnswer(received: Buffer, closed: boolean): RawAnswer | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const body = received.subarray(end + 4);
  // Without a Content-Length (chunked), the body is whatever came until the server closed.
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length === undefined ? !closed : body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString() };
}
