import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes one JSON line with the service name and ids as fields', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'router', destination }).info(
      { wa_id: '15550001111', wamid: 'wamid.X' },
      'inbound routed',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'router',
      wa_id: '15550001111',
      wamid: 'wamid.X',
      msg: 'inbound routed',
    });
  });

  it('never writes tokens, app secrets, signatures or Authorization headers', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'webhook', destination });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer EAAG-token', 'x-hub-signature-256': 'sha256=abc' } },
        graph: { access_token: 'EAAG-token' },
        config: { GRAPH_API_TOKEN: 'EAAG-token', META_APP_SECRETS: ['app-secret'] },
        appSecret: 'app-secret',
      },
      'request',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain('EAAG-token');
    expect(text).not.toContain('app-secret');
    expect(text).not.toContain('sha256=abc');
    expect(text).toContain('[redacted]');
  });
});
