import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the external API, for tests and the demo. Besides real-looking data, some ids misbehave
 * on purpose: `SLOW` answers after `slowMs`, `FAIL` answers 503, `BAD` sends JSON of the wrong shape, `GARBLED`
 * sends something that is not JSON. Anything else unknown is a 404.
 */
export interface FakeBackend {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

const orders: Record<string, { status: string; updated_at: string }> = {
  A1001: { status: 'shipped', updated_at: '2026-03-01T09:30:00.000Z' },
  A1002: { status: 'being packed', updated_at: '2026-03-02T14:05:00.000Z' },
};
const quotes: Record<string, { price: number; currency: string }> = {
  AAPL: { price: 189.2, currency: 'USD' },
  MSFT: { price: 411.05, currency: 'USD' },
  EUR: { price: 1.09, currency: 'USD' },
};

export async function startFakeBackend(options: { port?: number; host?: string; slowMs?: number } = {}) {
  const slowMs = options.slowMs ?? 10_000;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    void answer(req, res, slowMs);
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { address, port } = server.address() as AddressInfo;
  const fake: FakeBackend = {
    url: `http://${address}:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

async function answer(req: IncomingMessage, res: ServerResponse, slowMs: number): Promise<void> {
  const [, resource, rawId = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
  const id = decodeURIComponent(rawId).toUpperCase();
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (id === 'SLOW') await new Promise((resolve) => setTimeout(resolve, slowMs));
  if (id === 'FAIL') return json(503, { error: 'maintenance' });
  if (id === 'BAD') return json(200, { symbol: id, order_id: id, price: 'a lot', status: null });
  if (id === 'GARBLED') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
    return;
  }
  if (resource === 'orders') {
    const order =
      orders[id] ?? (id === 'SLOW' ? { status: 'late', updated_at: new Date().toISOString() } : null);
    return order ? json(200, { order_id: id, ...order }) : json(404, { error: 'not_found' });
  }
  if (resource === 'quotes') {
    const quote = quotes[id] ?? (id === 'SLOW' ? { price: 1, currency: 'USD' } : null);
    return quote ? json(200, { symbol: id, ...quote }) : json(404, { error: 'not_found' });
  }
  json(404, { error: 'not_found' });
}
