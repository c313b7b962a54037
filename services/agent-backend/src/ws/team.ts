import type { Logger } from '@wa-broker/shared/logger';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { OperatorStore, PresenceStore, TeamBus } from '../domain/ports.js';
import { autoAssign, releaseOffline, type TeamDeps, teamMemberOf } from '../domain/team.js';
import type { TeamEvent } from '../domain/team-events.js';
import type { OperatorHub } from './operator-hub.js';

export interface TeamRelayDeps {
  hub: () => OperatorHub;
  bus: TeamBus;
  operators: OperatorStore;
  presence: PresenceStore;
  now: () => Date;
  logger: Logger;
}

/**
 * Team events reach this instance's sockets at once (`publish`) and the other instances through the bus
 * (`apply` runs there for each event read).
 */
export function teamRelay(deps: TeamRelayDeps) {
  async function apply(event: TeamEvent): Promise<void> {
    const hub = deps.hub();
    switch (event.kind) {
      case 'frame':
        if (event.except_operator) hub.broadcastExcept(event.except_operator, event.frame);
        else hub.broadcast(event.frame);
        return;
      case 'presence': {
        // Recomputed from Mongo, not carried: whichever instance's news comes last, the answer is the current one.
        const operator = await deps.operators.get(event.operator_id);
        if (!operator) return;
        const online = (await deps.presence.online(deps.now())).has(operator.id);
        const frame: ServerFrame = {
          v: 1,
          type: 'operator_changed',
          operator: teamMemberOf(operator, online),
        };
        hub.broadcast(frame);
        return;
      }
      case 'sign_out':
        hub.closeWhere(
          (actor) =>
            (event.session_id !== undefined && actor.sessionId === event.session_id) ||
            (event.operator_id !== undefined && actor.id === event.operator_id),
          event.reason,
        );
        return;
    }
  }
  return {
    apply,
    async publish(event: TeamEvent) {
      await apply(event);
      try {
        await deps.bus.publish(event);
      } catch (error) {
        // The change is stored; other instances' operators see it when they next load the list.
        deps.logger.warn({ err: error, kind: event.kind }, 'team event not published');
      }
    },
  };
}

export interface PresenceKeeperDeps {
  team: TeamDeps;
  hub: () => OperatorHub;
  instanceId: string;
  now: () => Date;
  logger: Logger;
  heartbeatMs: number;
  /** 0: conversations stay with an absent operator. */
  offlineReleaseMs: number;
  autoAssign: { capacity: number } | null;
  /** More upkeep on each heartbeat (closing the sockets of sessions that expired). */
  onTick?: () => Promise<void>;
}

/**
 * Keeps this instance's presence entries fresh, notices instances that died (stale entries), returns the
 * conversations of operators offline past the grace time, and hands waiting conversations out (auto-assignment).
 * Every instance runs it; each step is a conditional update, so two instances running it at once agree.
 */
export function presenceKeeper(deps: PresenceKeeperDeps) {
  const { team } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const announce = async (operatorIds: Iterable<string>) => {
    for (const operatorId of operatorIds) await team.publish({ kind: 'presence', operator_id: operatorId });
  };

  async function tick() {
    const now = deps.now();
    const local = deps.hub().localOperators();
    for (const [operatorId, sockets] of local)
      await team.presence.set(operatorId, deps.instanceId, sockets, now);
    await team.operators.markSeen([...local.keys()], now);
    await announce(await team.presence.removeStale(new Date(now.getTime() - 3 * deps.heartbeatMs)));
    if (deps.offlineReleaseMs > 0) await releaseOffline(team, deps.offlineReleaseMs, now);
    if (deps.autoAssign) await assignQueue(deps.autoAssign);
    await deps.onTick?.();
  }

  async function assignQueue(settings: { capacity: number }) {
    for (const waId of await team.assignments.queue(50))
      if (!(await autoAssign(team, waId, settings, deps.now()))) return; // nobody has room
  }

  const guarded = (work: () => Promise<unknown>) => {
    running = running.then(work).then(
      () => undefined,
      (error: unknown) => deps.logger.warn({ err: error }, 'presence upkeep failed'),
    );
    return running;
  };

  return {
    async start() {
      // A restart with the same instance id begins without sockets.
      await announce(await team.presence.clearInstance(deps.instanceId));
      timer = setInterval(() => void guarded(tick), deps.heartbeatMs);
      timer.unref();
    },
    /** The hub's news: an operator's first socket here opened, or their last one closed. */
    changed(operatorId: string, sockets: number) {
      return guarded(async () => {
        const now = deps.now();
        await team.presence.set(operatorId, deps.instanceId, sockets, now);
        await team.operators.markSeen([operatorId], now);
        await team.publish({ kind: 'presence', operator_id: operatorId });
      });
    },
    /** An inbound message: reopened or new conversations may be waiting for an operator. */
    assignQueue: () =>
      deps.autoAssign ? guarded(() => assignQueue(deps.autoAssign ?? { capacity: 0 })) : running,
    async stop() {
      clearInterval(timer);
      await running;
      await announce(await team.presence.clearInstance(deps.instanceId));
    },
  };
}
