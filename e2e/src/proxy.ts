import { createServer, request } from 'node:http';
import { freePort } from '@wa-broker/infra/launch';

/** One request that went through the proxy: when, where to, and which target answered. */
export interface ProxyHit {
  /** When the upstream's answer began (its status line). */
  at: number;
  /** When the proxy had the whole request: `at - requestedAt` is the upstream's answer time. */
  requestedAt: number;
  method: string;
  path: string;
  target: number;
  status: number;
}

/** An HTTP proxy in the test process: spreads requests round-robin over targets and records each one. */
export interface HttpProxy {
  url: string;
  hits: ProxyHit[];
  /** Requests answered per target, in the order the targets were given. */
  perTarget(): number[];
  stop(): Promise<void>;
}

/**
 * Stands in for a load balancer in front of several instances (two webhooks), or meters one upstream
 * (the simulator's Graph API) so a test can count sends per second across every router.
 * A target that refuses the connection is skipped for the next one, as a health-checking balancer would.
 */
export async function startProxy(targets: readonly string[]): Promise<HttpProxy> {
  const hits: ProxyHit[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestedAt = Date.now();
      const body = Buffer.concat(chunks);
      const forward = (attempt: number) => {
        const target = next % targets.length;
        next += 1;
        const upstream = new URL(req.url ?? '/', targets[target]);
        const out = request(upstream, { method: req.method, headers: req.headers }, (answer) => {
          hits.push({
            at: Date.now(),
            requestedAt,
            method: req.method ?? '',
            path: upstream.pathname,
            target,
            status: answer.statusCode ?? 0,
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => {
          if (attempt + 1 < targets.length) forward(attempt + 1);
          else if (!res.headersSent) res.writeHead(502).end();
        });
        out.end(body);
      };
      forward(0);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    perTarget: () => targets.map((_, index) => hits.filter((hit) => hit.target === index).length),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
