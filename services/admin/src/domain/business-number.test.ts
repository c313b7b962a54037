import { DomainError } from '@wa-broker/shared/errors';
import { describe, expect, it } from 'vitest';
import {
  agentIdsToCheck,
  assertAgentsExist,
  type BusinessNumber,
  changeNumber,
  draftNumber,
  unknownAgentIds,
} from './business-number.js';
import { toNumberRecord, toNumberView } from './number-record.js';

/** Marks what it sealed, so a test sees the plain token never reached the draft. */
const seal = (plain: string) => `sealed(${plain.length})`;
const at = new Date('2026-03-01T10:00:00Z');

const base = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  displayPhoneNumber: '+1 555-010-0000',
  name: ' Sales line ',
};

const stored: BusinessNumber = {
  ...draftNumber({ ...base, token: { plain: 'EAAG-plain-token' } }, seal),
  createdAt: at,
  updatedAt: at,
};

function domainError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('draftNumber', () => {
  it('seals a plain token, trims the name, defaults to the standard tier, every agent and active', () => {
    expect(draftNumber({ ...base, token: { plain: 'EAAG-plain-token' } }, seal)).toEqual({
      phoneNumberId: '106540352242922',
      wabaId: '102290129340398',
      displayPhoneNumber: '+1 555-010-0000',
      name: 'Sales line',
      token: { source: 'stored', ciphertext: 'sealed(16)' },
      throughputTier: 'standard',
      agentIds: null,
      active: true,
    });
  });

  it('keeps a secret token as its variable name, and the tier and agents given', () => {
    const draft = draftNumber(
      { ...base, token: { secretName: 'WA_TOKEN_SALES' }, throughputTier: 'high', agentIds: [2, 1] },
      () => {
        throw new Error('a secret is never sealed');
      },
    );
    expect(draft).toMatchObject({
      token: { source: 'secret', name: 'WA_TOKEN_SALES' },
      throughputTier: 'high',
      agentIds: [2, 1],
    });
  });

  it('rejects an empty name and a repeated agent id, naming each field', () => {
    const error = domainError(() =>
      draftNumber({ ...base, name: '  ', token: { plain: 'x' }, agentIds: [1, 1] }, seal),
    );
    expect(error.code).toBe('invalid_number');
    expect(error.details?.fields).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'agent_ids', message: 'must not repeat an id' },
    ]);
  });
});

describe('changeNumber', () => {
  it('changes only the fields given; agentIds null means every agent again', () => {
    const limited = { ...stored, agentIds: [1] };
    const next = changeNumber(limited, { name: 'Returns', agentIds: null, throughputTier: 'high' }, seal);
    expect(next).toEqual({
      ...base,
      name: 'Returns',
      token: stored.token,
      throughputTier: 'high',
      agentIds: null,
      active: true,
    });
    expect(changeNumber(limited, { name: undefined }, seal).agentIds).toEqual([1]);
  });

  it('rotates a stored token to a secret one and back, sealing the new plain token', () => {
    const secret = changeNumber(stored, { token: { secretName: 'WA_TOKEN_NEW' } }, seal);
    expect(secret.token).toEqual({ source: 'secret', name: 'WA_TOKEN_NEW' });
    const back = changeNumber({ ...stored, ...secret }, { token: { plain: 'rotated' } }, seal);
    expect(back.token).toEqual({ source: 'stored', ciphertext: 'sealed(7)' });
  });

  it('deletes and restores through active', () => {
    expect(changeNumber(stored, { active: false }, seal).active).toBe(false);
    expect(changeNumber({ ...stored, active: false }, { active: true }, seal).active).toBe(true);
  });
});

describe('agent ids', () => {
  it('checks each wanted id once, and none for every agent', () => {
    expect(agentIdsToCheck([3, 1, 3])).toEqual([3, 1]);
    expect(agentIdsToCheck(null)).toEqual([]);
    expect(agentIdsToCheck(undefined)).toEqual([]);
    expect(agentIdsToCheck([])).toEqual([]);
  });

  it('lists the unknown ones in the order given', () => {
    expect(unknownAgentIds([7, 1, 9, 7], [1, 2])).toEqual([7, 9]);
    expect(unknownAgentIds([1, 2], [2, 1])).toEqual([]);
  });

  it('rejects unknown agents on the agent_ids field with their ids', () => {
    expect(() => assertAgentsExist([1, 2], [1, 2])).not.toThrow();
    const error = domainError(() => assertAgentsExist([1, 7], [1]));
    expect(error.code).toBe('invalid_number');
    expect(error.details).toEqual({
      unknown_agent_ids: [7],
      fields: [{ field: 'agent_ids', message: 'no agent has the id 7' }],
    });
  });
});

describe('wire forms', () => {
  it('puts the sealed token in the event record', () => {
    expect(toNumberRecord(stored)).toEqual({
      phone_number_id: '106540352242922',
      waba_id: '102290129340398',
      display_phone_number: '+1 555-010-0000',
      name: 'Sales line',
      token: { source: 'stored', ciphertext: 'sealed(16)' },
      throughput_tier: 'standard',
      agent_ids: null,
      active: true,
      created_at: '2026-03-01T10:00:00.000Z',
      updated_at: '2026-03-01T10:00:00.000Z',
    });
  });

  it('shows the API neither the token nor its ciphertext, only where it comes from', () => {
    const view = toNumberView(stored);
    expect(view).toMatchObject({ token_source: 'stored', token_secret: null });
    expect(view).not.toHaveProperty('token');
    expect(JSON.stringify(view)).not.toContain('sealed(');
    const secret = toNumberView({ ...stored, token: { source: 'secret', name: 'WA_TOKEN_SALES' } });
    expect(secret).toMatchObject({ token_source: 'secret', token_secret: 'WA_TOKEN_SALES' });
  });
});
