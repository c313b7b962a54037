import { describe, expect, it } from 'vitest';
import { requestForLog, scrubDeep, scrubText, userRef } from './log-privacy.js';

describe('userRef', () => {
  it('is u_ and 12 hex digits, the same for the same user however the phone is written', () => {
    const ref = userRef('15550001111');
    expect(ref).toMatch(/^u_[0-9a-f]{12}$/);
    expect(userRef('+1 (555) 000-1111')).toBe(ref);
    expect(userRef('15550001112')).not.toBe(ref);
  });

  it('keeps a BSUID apart from a phone and leaves an absent key absent', () => {
    expect(userRef('US.13491208655302741918')).toMatch(/^u_[0-9a-f]{12}$/);
    expect(userRef('US.13491208655302741918')).not.toBe(userRef('13491208655302741918'));
    expect(userRef(undefined)).toBeUndefined();
    expect(userRef('')).toBeUndefined();
  });

  it('never contains the key', () => {
    expect(userRef('15550001111')).not.toContain('15550001111');
  });
});

describe('scrubText', () => {
  it('replaces phone numbers and BSUIDs in free text by their refs', () => {
    const text = 'E11000 dup key: { wa_id: "15550001111" } for US.13491208655302741918 and +15550001111.';
    const scrubbed = scrubText(text);
    expect(scrubbed).not.toMatch(/5550001111|13491208655302741918/);
    expect(scrubbed).toContain(userRef('15550001111'));
    expect(scrubbed).toContain(userRef('US.13491208655302741918'));
  });

  it('leaves short numbers, ids and words alone', () => {
    const text = 'HTTP 503 after 5000 ms on agent_A-in[3] offset 1234567 (wamid.HBgL1555000111)';
    expect(scrubText(text)).toBe(text);
  });
});

describe('scrubDeep', () => {
  it('scrubs nested strings and keeps the rest', () => {
    const scrubbed = scrubDeep({ message: 'to 15550001111', status: 400, body: { error: ['15550001111'] } });
    expect(JSON.stringify(scrubbed)).not.toContain('15550001111');
    expect(scrubbed).toMatchObject({ status: 400, body: { error: [userRef('15550001111')] } });
  });
});

describe('requestForLog', () => {
  it('names the route, not the URL with its path and query', () => {
    const logged = requestForLog({
      method: 'POST',
      url: '/sim/users/15550001111/messages?q=hello',
      routeOptions: { url: '/sim/users/:id/messages' },
      ip: '127.0.0.1',
    });
    expect(logged).toMatchObject({
      method: 'POST',
      url: '/sim/users/:id/messages',
      remoteAddress: '127.0.0.1',
    });
  });

  it('scrubs the path of a request no route matched and drops its query', () => {
    const logged = requestForLog({ method: 'GET', url: '/nowhere/%2B15550001111/US.1349120865?text=secret' });
    expect(logged.url).toBe(`/nowhere/${userRef('+15550001111')}/${userRef('US.1349120865')}`);
  });
});
