import type { Logger } from '@wa-broker/shared/logger';
import type { Agent } from '../domain/agent.js';
import { toAgentErrorEvent } from '../domain/agent-events.js';
import type { Clock, OutRecord, Publish, SendClaimStore, UnresolvedSend } from '../domain/ports.js';
import { deadLetterRecord } from './dead-letter.js';
import { deliveryUnknownText } from './send-claim.js';

export interface UnresolvedSweeperDeps {
  claims: SendClaimStore;
  agentById: (id: string) => Agent | undefined;
  publish: Publish;
  deadLetterTopic: string;
  logger: Logger;
  now: Clock;
  intervalMs: number;
  /** How long a taken entry is this sweeper's before another may take it (a sweeper that died half-way). */
  leaseMs: number;
}

/**
 * Settles sends whose router died after the Graph call and that no status named within
 * `SEND_UNKNOWN_AFTER_SECONDS`: a status that came meanwhile settles them as sent; otherwise the owning agent
 * gets `send_failed` "delivery unknown" on `-error` (and the dead letter). Every router runs one; entries are
 * leased in Redis, so each is reported by one router. A router dying between the report and settling it makes
 * another report it again after the lease, with the same event_id (agents dedupe on it).
 */
export function startUnresolvedSweeper(deps: UnresolvedSweeperDeps) {
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  const settle = async ({ entry, send }: { entry: string; send: UnresolvedSend }) => {
    const wamid = await deps.claims.resolvedWamid(send.agentId, send.idempotencyKey);
    if (wamid) {
      deps.logger.info(
        { agent: send.agentId, idempotency_key: send.idempotencyKey, wamid },
        'abandoned send settled by a status',
      );
      return deps.claims.settleUnresolved(entry, send, 'sent');
    }
    await deps.publish(unknownDeliveryRecords(send, deps));
    deps.logger.warn(
      { agent: send.agentId, idempotency_key: send.idempotencyKey },
      'abandoned send reported as unknown',
    );
    await deps.claims.settleUnresolved(entry, send, 'failed');
  };
  const sweep = async () => {
    const due = await deps.claims.takeDueUnresolved(20, deps.leaseMs);
    for (const item of due) await settle(item);
  };
  return {
    start(): void {
      timer = setInterval(() => {
        sweeping = sweeping
          .then(sweep)
          .catch((err: unknown) => deps.logger.warn({ err }, 'unresolved sends sweep failed'));
      }, deps.intervalMs);
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await sweeping;
    },
  };
}

function unknownDeliveryRecords(send: UnresolvedSend, deps: UnresolvedSweeperDeps): OutRecord[] {
  const agent = deps.agentById(send.agentId);
  const [topic, partition, offset] = splitSource(send.source);
  const value = toAgentErrorEvent({
    eventId: `${send.source}:send_failed`,
    agentId: send.agentId,
    userKey: send.waID,
    code: 'send_failed',
    text: deliveryUnknownText,
    now: deps.now(),
    rawPayload: undefined,
    idempotencyKey: send.idempotencyKey,
    source: { topic, partition, offset },
  });
  const records: OutRecord[] = [
    deadLetterRecord(deps.deadLetterTopic, {
      reason: 'delivery_unknown',
      text: deliveryUnknownText,
      source: { topic, partition, offset },
      at: deps.now(),
      ...(send.waID ? { waID: send.waID } : {}),
      agent: send.agentId,
      idempotency_key: send.idempotencyKey,
      raw: null,
    }),
  ];
  if (agent) records.unshift({ topic: agent.topics.error, key: send.waID, value });
  return records;
}

/** `topic:partition:offset`; topic names may not contain ':' in Kafka, so the split is unambiguous. */
function splitSource(source: string): [string, number, string] {
  const [topic = '', partition = '0', offset = '0'] = source.split(':');
  return [topic, Number(partition), offset];
}
