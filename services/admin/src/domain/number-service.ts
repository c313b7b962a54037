import { DomainError } from '@wa-broker/shared/errors';
import {
  agentIdsToCheck,
  assertAgentsExist,
  type BusinessNumber,
  changeNumber,
  draftNumber,
  type NewNumber,
  type NumberChanges,
  type Seal,
} from './business-number.js';
import { type AdminErrorCode, numberExists, numberNotFound } from './errors.js';
import type { NumberChangePublisher, NumberChangeType, NumberQuery, NumberStore } from './ports.js';

export interface NumberServiceDeps {
  store: NumberStore;
  publisher: NumberChangePublisher;
  /** `sealToken` under the deployment's `NUMBER_TOKEN_KEY`. */
  seal: Seal;
  now: () => Date;
  /** Told when a committed change could not be announced, so a resync can follow. */
  onPublishFailed: (error: unknown, number: BusinessNumber) => void;
  /** Told after a number was saved and announced (its WABA's templates are synced then: issue 19). */
  onSaved?: (number: BusinessNumber) => void;
}

export type NumberService = ReturnType<typeof createNumberService>;

/**
 * The business-number use cases. Every check runs before the write (bad input changes nothing); the change event
 * is published after the commit, so the router never hears of a number that was not saved.
 */
export function createNumberService(deps: NumberServiceDeps) {
  const { store } = deps;

  async function announce(type: NumberChangeType, number: BusinessNumber): Promise<BusinessNumber> {
    try {
      await deps.publisher.publish([{ type, number }], deps.now());
      deps.onSaved?.(number);
    } catch (error) {
      deps.onPublishFailed(error, number);
      throw new DomainError<AdminErrorCode>(
        'change_not_published',
        `number ${number.phoneNumberId} was saved but its change event could not be published; it will be republished`,
        { phone_number_id: number.phoneNumberId },
      );
    }
    return number;
  }

  async function requireNumber(phoneNumberId: string): Promise<BusinessNumber> {
    const number = await store.get(phoneNumberId);
    if (!number) throw numberNotFound(phoneNumberId);
    return number;
  }

  async function assertAgents(agentIds: readonly number[] | null | undefined): Promise<void> {
    const wanted = agentIdsToCheck(agentIds);
    if (wanted.length > 0) assertAgentsExist(wanted, await store.existingAgentIds(wanted));
  }

  return {
    list: (query: NumberQuery) => store.list(query),
    get: requireNumber,

    async create(input: NewNumber): Promise<BusinessNumber> {
      const draft = draftNumber(input, deps.seal);
      await assertAgents(draft.agentIds);
      if (await store.get(draft.phoneNumberId)) throw numberExists(draft.phoneNumberId);
      return announce('created', await store.insert(draft, deps.now()));
    },

    /** The deployment's own number, registered once: null when a number with its id exists (left as it is). */
    async registerIfAbsent(input: NewNumber): Promise<BusinessNumber | null> {
      if (await store.get(input.phoneNumberId)) return null;
      return this.create(input);
    },

    /** Any field, the token included; `active: false` deletes, `active: true` restores. */
    async update(phoneNumberId: string, changes: NumberChanges): Promise<BusinessNumber> {
      const current = await requireNumber(phoneNumberId);
      const draft = changeNumber(current, changes, deps.seal);
      await assertAgents(changes.agentIds);
      const number = await store.update(phoneNumberId, draft, deps.now());
      if (!number) throw numberNotFound(phoneNumberId);
      return announce(current.active && !number.active ? 'deleted' : 'updated', number);
    },

    /** Soft delete, idempotent: the router stops answering from the number. */
    async remove(phoneNumberId: string): Promise<BusinessNumber> {
      const current = await requireNumber(phoneNumberId);
      if (!current.active) return current;
      const number = await store.update(
        phoneNumberId,
        changeNumber(current, { active: false }, deps.seal),
        deps.now(),
      );
      if (!number) throw numberNotFound(phoneNumberId);
      return announce('deleted', number);
    },

    /** Republishes every number's state, deleted ones included (start and resync). */
    async republishAll(): Promise<number> {
      const numbers = await store.all();
      await deps.publisher.publish(
        numbers.map((number) => ({ type: 'snapshot' as const, number })),
        deps.now(),
      );
      return numbers.length;
    },
  };
}
