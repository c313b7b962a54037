import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ThroughputWindow } from '@wa-broker/shared/meta-throughput';

export interface RecordedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
  /** The HTTP status it was answered with. */
  status: number;
}

type Answer = { status: number; body: unknown };
const sendFixtures = new URL('../../../../../shared/fixtures/meta/send/', import.meta.url);

/** Meta's error body for a code, from the shared fixtures (send/response-error-<code>.json). */
export function metaError(code: 130429 | 131047 | 131056): Answer {
  return {
    status: 400,
    body: JSON.parse(readFileSync(new URL(`response-error-${code}.json`, sendFixtures), 'utf8')),
  };
}

/**
 * A stand-in for the Graph API: records every request; answers success unless a test queues answers, or, once
 * `enforceThroughput` was called, a message over the number's throughput arrives (130429, Meta's rule from
 * `@wa-broker/shared/meta-throughput`, counted in `refused130429`).
 */
export async function startFakeGraph() {
  const requests: RecordedRequest[] = [];
  const queued: Answer[] = [];
  let sent = 0;
  let throughput: { perSecond: number; window: ThroughputWindow } | undefined;
  let refused130429 = 0;
  const overThroughput = (url: string, body: Record<string, unknown>, at: number) =>
    throughput !== undefined &&
    body.status !== 'read' &&
    !throughput.window.tryTake(url, throughput.perSecond, at) &&
    ++refused130429 > 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const at = Date.now();
      const answer = queued.shift() ??
        (overThroughput(req.url ?? '', body, at) ? metaError(130429) : undefined) ?? {
          status: 200,
          body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out.${++sent}` }] },
        };
      requests.push({ url: req.url ?? '', headers: req.headers, body, at, status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...answers: Answer[]) => queued.push(...answers),
    to: (user: string) => requests.filter((r) => r.body.to === user),
    /** From now on, refuses messages (not read receipts) over `perSecond` in any 1 s window per number. */
    enforceThroughput: (perSecond: number) => {
      throughput = { perSecond, window: new ThroughputWindow() };
    },
    get refused130429() {
      return refused130429;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>;
