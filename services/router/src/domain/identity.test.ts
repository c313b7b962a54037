import { describe, expect, it } from 'vitest';
import { identityAfterChange, learnIdentity } from './identity.js';

// meta-2026-changes.md §1.2: the BSUID always comes, the phone only while Meta shares it.
describe('learnIdentity', () => {
  it('keeps a phone shared before when this webhook hides it, and takes what came now', () => {
    const known = { wa_id: '15550001111', user_id: 'US.1', name: 'Jane', username: 'jane' };
    expect(learnIdentity(known, { user_id: 'US.1', name: 'Jane D' })).toEqual({
      wa_id: '15550001111',
      user_id: 'US.1',
      name: 'Jane D',
      username: 'jane',
    });
  });

  it('starts from what came when nothing was known', () => {
    expect(learnIdentity(null, { user_id: 'US.1', username: undefined })).toEqual({ user_id: 'US.1' });
  });
});

// meta-2026-changes.md §1.2, system messages (changelog 2026-08-11).
describe('identityAfterChange', () => {
  const known = {
    wa_id: '15550001111',
    user_id: 'US.1',
    parent_user_id: 'US.ENT.1',
    name: 'Jane',
    username: 'jane',
  };

  it('a new number brings a new BSUID and replaces the phone', () => {
    const change = {
      type: 'user_changed_number' as const,
      previousUserId: 'US.1',
      userId: 'US.2',
      waId: '15550002222',
    };
    expect(identityAfterChange(known, change)).toEqual({
      wa_id: '15550002222',
      user_id: 'US.2',
      name: 'Jane',
      username: 'jane',
    });
  });

  it('drops the old phone when Meta does not share the new one', () => {
    const change = { type: 'user_changed_number' as const, previousUserId: 'US.1', userId: 'US.2' };
    expect(identityAfterChange(known, change)).toEqual({ user_id: 'US.2', name: 'Jane', username: 'jane' });
  });

  it('a new BSUID alone keeps the phone', () => {
    const change = {
      type: 'user_changed_user_id' as const,
      previousUserId: 'US.1',
      userId: 'US.3',
      parentUserId: 'US.ENT.3',
    };
    expect(identityAfterChange(known, change)).toMatchObject({
      wa_id: '15550001111',
      user_id: 'US.3',
      parent_user_id: 'US.ENT.3',
    });
  });
});
