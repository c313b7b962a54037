import type { NumberToken, ThroughputTier } from '@wa-broker/shared/business-numbers';
import { type FieldProblem, invalidNumber } from './errors.js';

/** A business number as the admin holds it; `token` is sealed or named, never the plain Graph token. */
export interface BusinessNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  name: string;
  token: NumberToken;
  throughputTier: ThroughputTier;
  /** Agents offered on this number's menu; null: every active agent. */
  agentIds: number[] | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What is written for a new or changed number; the store sets the timestamps. */
export type NumberDraft = Omit<BusinessNumber, 'createdAt' | 'updatedAt'>;

/** The token as the API takes it: the plain Graph token (sealed before anything keeps it) or a variable name. */
export type TokenInput = { plain: string } | { secretName: string };

export interface NewNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  name: string;
  token: TokenInput;
  throughputTier?: ThroughputTier | undefined;
  agentIds?: number[] | null | undefined;
}

/** `undefined` leaves a field as it is; `agentIds: null` means every agent. */
export interface NumberChanges {
  wabaId?: string | undefined;
  displayPhoneNumber?: string | undefined;
  name?: string | undefined;
  token?: TokenInput | undefined;
  throughputTier?: ThroughputTier | undefined;
  agentIds?: number[] | null | undefined;
  active?: boolean | undefined;
}

/** Seals a plain token (AES-256-GCM under the deployment's key); injected so the rules stay pure. */
export type Seal = (plain: string) => string;

function tokenOf(input: TokenInput, seal: Seal): NumberToken {
  return 'plain' in input
    ? { source: 'stored', ciphertext: seal(input.plain) }
    : { source: 'secret', name: input.secretName };
}

/** A new, active number; the token is sealed here, so the plain one goes no further. */
export function draftNumber(input: NewNumber, seal: Seal): NumberDraft {
  return assertValidDraft({
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId,
    displayPhoneNumber: input.displayPhoneNumber,
    name: input.name.trim(),
    token: tokenOf(input.token, seal),
    throughputTier: input.throughputTier ?? 'standard',
    agentIds: input.agentIds ?? null,
    active: true,
  });
}

/** The number after `changes`; a new token replaces the old one whatever its source. */
export function changeNumber(number: BusinessNumber, changes: NumberChanges, seal: Seal): NumberDraft {
  const { createdAt: _created, updatedAt: _updated, ...current } = number;
  const { token, ...rest } = changes;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  const next: NumberDraft = { ...current, ...defined, ...(token ? { token: tokenOf(token, seal) } : {}) };
  return assertValidDraft({ ...next, name: next.name.trim() });
}

/** The ids of `wanted` that are not in `existing`, in the order given, each once. */
export function unknownAgentIds(wanted: readonly number[], existing: readonly number[]): number[] {
  const known = new Set(existing);
  return [...new Set(wanted.filter((id) => !known.has(id)))];
}

/** The agent ids a change asks for and the store must confirm, or none. */
export function agentIdsToCheck(agentIds: readonly number[] | null | undefined): number[] {
  return agentIds ? [...new Set(agentIds)] : [];
}

/** Rejects agent ids that name no agent (a deleted agent still exists: it is offered again once restored). */
export function assertAgentsExist(wanted: readonly number[], existing: readonly number[]): void {
  const unknown = unknownAgentIds(wanted, existing);
  if (unknown.length > 0)
    throw invalidNumber([{ field: 'agent_ids', message: `no agent has the id ${unknown.join(', ')}` }], {
      unknown_agent_ids: unknown,
    });
}

function assertValidDraft(draft: NumberDraft): NumberDraft {
  const problems: FieldProblem[] = [];
  if (draft.name.length === 0) problems.push({ field: 'name', message: 'must not be empty' });
  if (draft.agentIds && new Set(draft.agentIds).size !== draft.agentIds.length)
    problems.push({ field: 'agent_ids', message: 'must not repeat an id' });
  if (problems.length > 0) throw invalidNumber(problems);
  return draft;
}
