import { describe, expect, it } from 'vitest';
import { verifySubscription } from './verify-subscription.js';

const token = 'my-verify-token';

describe('verifySubscription', () => {
  it('returns the challenge for subscribe with the right token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' };
    expect(verifySubscription(query, token)).toBe('1158201444');
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'c' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': token, 'hub.challenge': 'c' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': token }],
    ['an empty challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '' }],
    [
      'repeated parameters',
      { 'hub.mode': 'subscribe', 'hub.verify_token': [token, token], 'hub.challenge': 'c' },
    ],
    ['no parameters', {}],
  ])('returns null for %s', (_label, query) => {
    expect(verifySubscription(query, token)).toBeNull();
  });
});
