import { createServer, type Server } from 'node:http';

/** `/healthz` (process up) and `/readyz` (consumers joined); the bot has no other HTTP surface. */
export function healthServer(isReady: () => boolean): Server {
  return createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200).end('ok');
    if (req.url === '/readyz')
      return void res.writeHead(isReady() ? 200 : 503).end(isReady() ? 'ready' : 'starting');
    res.writeHead(404).end();
  });
}
