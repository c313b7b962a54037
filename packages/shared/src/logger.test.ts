import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { userRef } from './log-privacy.js';
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
      { user: userRef('15550001111'), wamid: 'wamid.X' },
      'inbound routed',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'router',
      user: userRef('15550001111'),
      wamid: 'wamid.X',
      msg: 'inbound routed',
    });
  });

  it('pseudonymises user fields and drops what users wrote, on lines and child bindings, at every level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'router', level: 'debug', destination });
    logger.child({ wa_id: '15550001111' }).info({ text: 'my secret order' }, 'slipped');
    logger.debug(
      {
        event: { from: '15550001111', user_id: 'US.13491208655302741918', caption: 'my face' },
        username: 'mei.e2e',
        profile: { name: 'Mei Lin' },
        query: 'refund for Mei',
      },
      'slipped too',
    );
    const text = JSON.stringify(lines);
    for (const value of ['15550001111', '13491208655302741918', 'secret order', 'my face', 'mei.e2e', 'Mei'])
      expect(text).not.toContain(value);
    expect(lines[0]).toMatchObject({ wa_id: userRef('15550001111'), text: '[redacted]' });
    expect(lines[1]).toMatchObject({
      event: { from: userRef('15550001111'), user_id: userRef('US.13491208655302741918') },
      username: '[redacted]',
    });
  });

  it('scrubs phone numbers and BSUIDs from errors, message, stack and properties', () => {
    const { lines, destination } = capture();
    const error = Object.assign(new Error('(#131030) 15550001111 not in allowed list'), {
      response: { to: '+15550001111', recipient: 'US.13491208655302741918' },
    });
    createLogger({ service: 'router', destination }).error({ err: error }, 'send failed');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/5550001111|13491208655302741918/);
    expect(text).toContain(userRef('15550001111'));
    expect(lines[0]).toMatchObject({ err: { type: 'Error' } });
  });

  it('scrubs phone numbers and BSUIDs from the message itself', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'bot', destination }).warn(
      { code: 'not_in_session' },
      'user US.13491208655302741918 is not in a session with agent Bot',
    );
    expect(lines[0]?.msg).toBe(
      `user ${userRef('US.13491208655302741918')} is not in a session with agent Bot`,
    );
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
