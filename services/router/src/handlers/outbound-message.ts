import type { AgentErrorCode } from '@wa-broker/shared/agent-errors';
import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { decodeJson } from '@wa-broker/shared/kafka';
import { isWindowOpen, windowExpiresAt } from '@wa-broker/shared/reply-window';
import { traceHeaders } from '@wa-broker/shared/trace-context';
import { addressOfKey } from '@wa-broker/shared/user-identity';
import type { Agent } from '../domain/agent.js';
import { toAgentInboundEvent } from '../domain/agent-events.js';
import type { MenuTexts } from '../domain/menu.js';
import { sentCostRecord } from '../domain/message-costs.js';
import { planOutbound } from '../domain/plan-outbound.js';
import type { Clock, OutRecord, UserStore, UserWindow } from '../domain/ports.js';
import { windowClosedText } from '../domain/send-policy.js';
import type { RouterTexts, SessionDecision } from '../domain/session.js';
import { type TemplateCatalogView, templateRefusal } from '../domain/template-check.js';
import { deadLetter, reportError, sourceId } from './outbound-errors.js';
import { retryStateWrite } from './retry-state-write.js';
import { type RouterOutMessage, routerOutMessage, routerSender } from './router-out.js';
import { type ClaimedRunDeps, runClaimed, type Settlement } from './send-claim.js';
import { messagingLimitText, type SenderDeps, sendWithRetry } from './send-with-retry.js';

export interface OutboundDeps extends ClaimedRunDeps {
  store: UserStore;
  sender: SenderDeps;
  agents: () => Agent[];
  agentByOutTopic: (topic: string) => Agent | undefined;
  /** The approved and other templates of each number's WABA, from the admin's template-changes topic. */
  templates: TemplateCatalogView;
  texts: RouterTexts & MenuTexts;
  routerOutTopic: string;
  deadLetterTopic: string;
  /** Where accepted sends go for the cost report (message-costs.ts). */
  messageCostsTopic: string;
  now: Clock;
}

export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  value: Buffer | null;
}

/** Adds records to the transaction of the batch the source record belongs to. */
export type Emit = (records: readonly OutRecord[]) => void;

/**
 * Handles one record of an agent's `-out` topic or of router-out; what it produces goes to `emit`, published with
 * the batch's offsets in one Kafka transaction. Throws only on infrastructure failures (the batch is replayed).
 */
export async function handleOutbound(source: SourceMessage, deps: OutboundDeps, emit: Emit): Promise<void> {
  if (source.topic === deps.routerOutTopic) return handleRouterOut(source, deps, emit);
  const agent = deps.agentByOutTopic(source.topic);
  const raw = decodeJson(source.value);
  if (!agent)
    return emit(
      deadLetter(deps, source, {
        reason: 'unknown_agent',
        text: `no active agent writes to ${source.topic}`,
      }),
    );
  const parsed = agentOutboundMessage.safeParse(raw);
  if (!parsed.success) {
    const waID =
      typeof (raw as { waID?: unknown })?.waID === 'string' ? String((raw as { waID: string }).waID) : '';
    const text = `invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`;
    return emit(reportError(deps, source, agent, { waID, raw, code: 'invalid_message', text }));
  }
  const message = parsed.data;
  const key = message.idempotency_key ?? sourceId(source);
  await runClaimed(deps, agent.id, key, {
    source: sourceId(source),
    waID: message.waID,
    emit,
    send: (markSending) => deliver(source, deps, agent, message, key, markSending),
  });
}

async function deliver(
  source: SourceMessage,
  deps: OutboundDeps,
  agent: Agent,
  message: AgentOutboundMessage,
  key: string,
  markSending: () => Promise<void>,
): Promise<Settlement> {
  const { userKey, phoneNumberId, conversation, state } = await deps.store.loadAddressed(
    message.phone_number_id,
    message.waID,
    deps.sender.numbers.defaultId,
  );
  const now = deps.now();
  const plan = planOutbound({
    message,
    agent,
    session: state.session,
    lastInboundAt: state.window?.lastInboundAt ?? null,
    now,
    agents: deps.agents(),
    texts: deps.texts,
  });
  const ctx = { source, key, waID: message.waID, raw: message, phoneNumberId };
  if (plan.kind === 'reject')
    return {
      state: 'rejected',
      records: reportError(deps, source, agent, { ...ctx, code: plan.code, text: plan.text }),
    };
  const user = { userKey, phoneNumberId, conversation };
  if (plan.kind === 'handover') return handover(deps, plan.decision, user, state.window, key);
  // Meta would refuse it (unknown, not approved, paused, wrong parameters): say why now, and send nothing.
  const refusal = templateRefusal(plan.body, deps.templates.ofNumber(phoneNumberId));
  if (refusal)
    return {
      state: 'rejected',
      records: reportError(deps, source, agent, { ...ctx, code: 'template_invalid', ...refusal }),
    };
  // A template outside the window starts a business-initiated conversation: the portfolio's limit applies.
  const window = state.window ? windowExpiresAt(state.window.lastInboundAt) : null;
  if (plan.body.type === 'template' && !isWindowOpen(window, now)) {
    if (!(await deps.sender.messagingLimit.admit(userKey))) {
      const text = messagingLimitText(deps.sender.messagingLimit.limit);
      return {
        state: 'failed',
        records: reportError(deps, source, agent, { ...ctx, code: 'send_failed', text }),
      };
    }
  }
  // The phone when it is known (`to`), else the BSUID (`recipient`): graph-api.client.ts.
  const to = state.window?.user ?? addressOfKey(userKey);
  const reference = { agentId: agent.id, idempotencyKey: key };
  const outcome = await sendWithRetry(
    deps.sender,
    phoneNumberId,
    userKey,
    to,
    plan.body,
    markSending,
    reference,
  );
  if (outcome.ok) {
    // Meta accepted it: throwing now would replay it as an abandoned send, so the bookkeeping waits out a Redis
    // restart instead of failing at the first refused command (statuses also name the send: inbound-batch.ts).
    if (outcome.wamid) {
      const { wamid } = outcome;
      await retryStateWrite(deps.logger, 'recording a sent message', () =>
        deps.store.recordSent(wamid, {
          agentId: agent.id,
          userKey,
          idempotencyKey: key,
          phoneNumberId,
          ...sendTrace(),
        }),
      );
      const origin = message.origin ?? 'agent';
      const at = deps.now();
      const cost = { wamid, phoneNumberId, agentId: agent.id, origin, body: plan.body, at } as const;
      return { state: 'sent', records: [sentCostRecord(deps.messageCostsTopic, cost)] };
    }
    return { state: 'sent', records: [] };
  }
  const code: AgentErrorCode = outcome.windowClosed ? 'window_closed' : 'send_failed';
  const text = outcome.windowClosed
    ? windowClosedText
    : `sending failed after ${outcome.attempts} attempt(s): ${outcome.reason}`;
  const records = reportError(deps, source, agent, {
    ...ctx,
    code,
    text,
    metaError: outcome.metaError,
    deadLetter: !outcome.windowClosed,
  });
  return { state: 'failed', records };
}

/**
 * `end_session` / `transfer`: the session changes in Redis in the same MULTI that settles the claim with these
 * records, before the batch's transaction; a replay of the record publishes them again if it did not commit.
 */
function handover(
  deps: OutboundDeps,
  decision: SessionDecision,
  addressed: { userKey: string; phoneNumberId: string; conversation: string },
  window: UserWindow | null,
  causeId: string,
): Settlement {
  const { userKey, phoneNumberId, conversation } = addressed;
  const user = window?.user ?? addressOfKey(userKey);
  const ctx = {
    userKey,
    phoneNumberId,
    user,
    windowExpiresAt: window ? windowExpiresAt(window.lastInboundAt) : null,
    now: deps.now(),
    causeId,
  };
  const records: OutRecord[] = decision.toAgents.map((delivery) => ({
    topic: delivery.agent.topics.in,
    key: userKey,
    value: toAgentInboundEvent(delivery, ctx),
  }));
  decision.toUser.forEach((body, i) => {
    const value: RouterOutMessage = {
      v: 1,
      waID: userKey,
      phone_number_id: phoneNumberId,
      user,
      idempotency_key: `${causeId}:handover:${i}`,
      body,
    };
    records.push({ topic: deps.routerOutTopic, key: userKey, value });
  });
  const users = new Map([[conversation, { session: decision.session, window }]]);
  return { state: 'sent', records, users };
}

async function handleRouterOut(source: SourceMessage, deps: OutboundDeps, emit: Emit): Promise<void> {
  const parsed = routerOutMessage.safeParse(decodeJson(source.value));
  if (!parsed.success)
    return emit(deadLetter(deps, source, { reason: 'unreadable', text: 'unreadable router-out record' }));
  const { waID, user, idempotency_key: key, body } = parsed.data;
  // The number the user wrote to (absent in records of older routers: the default number).
  const phoneNumberId = parsed.data.phone_number_id ?? deps.sender.numbers.defaultId;
  await runClaimed(deps, routerSender, key, {
    source: sourceId(source),
    waID,
    emit,
    send: async (markSending) => {
      const reference = { agentId: routerSender, idempotencyKey: key };
      const outcome = await sendWithRetry(
        deps.sender,
        phoneNumberId,
        waID,
        user,
        body,
        markSending,
        reference,
      );
      if (outcome.ok) {
        if (!outcome.wamid) return { state: 'sent', records: [] };
        const cost = { wamid: outcome.wamid, phoneNumberId, agentId: null, origin: 'router' as const };
        const at = deps.now();
        return { state: 'sent', records: [sentCostRecord(deps.messageCostsTopic, { ...cost, body, at })] };
      }
      const records = deadLetter(deps, source, {
        reason: 'send_failed',
        text: outcome.reason,
        waID,
        agent: routerSender,
        idempotency_key: key,
        ...(outcome.metaError ? { meta_error: outcome.metaError } : {}),
      });
      return { state: 'failed', records };
    },
  });
}

/** The active trace (the -out record's) of a send, kept with it so its statuses join the message's trace. */
function sendTrace(): { trace?: string } {
  const { traceparent } = traceHeaders();
  return traceparent ? { trace: traceparent } : {};
}
