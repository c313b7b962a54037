import type { AgentErrorCode } from '@wa-broker/shared/agent-errors';
import type { MetaErrorDetail } from '@wa-broker/shared/agent-inbound';
import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { decodeJson } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { OutRecord, Publish } from '../adapters/publisher.kafka.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import type { SendClaims } from '../adapters/send-claims.redis.js';
import type { Agent } from '../domain/agent.js';
import { toAgentErrorEvent, toAgentInboundEvent } from '../domain/agent-events.js';
import type { MenuTexts } from '../domain/menu.js';
import { planOutbound } from '../domain/plan-outbound.js';
import type { RouterTexts, SessionDecision } from '../domain/session.js';
import { windowExpiresAt } from '../domain/window.js';
import { retryStateWrite } from './retry-state-write.js';
import { routerOutMessage, routerSender } from './router-out.js';
import { deliveryUnknownText, runClaimed } from './send-claim.js';
import { type SenderDeps, sendWithRetry } from './send-with-retry.js';

export interface OutboundDeps {
  store: RouterStore;
  claims: SendClaims;
  inFlight: Set<string>;
  publish: Publish;
  sender: SenderDeps;
  agents: () => Agent[];
  agentByOutTopic: (topic: string) => Agent | undefined;
  texts: RouterTexts & MenuTexts;
  routerOutTopic: string;
  deadLetterTopic: string;
  windowMarginMs: number;
  logger: Logger;
  now: () => Date;
}

export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  value: Buffer | null;
}

/** Handles one record of an agent's `-out` topic or of router-out. Throws only on infrastructure failures. */
export async function handleOutbound(source: SourceMessage, deps: OutboundDeps): Promise<void> {
  if (source.topic === deps.routerOutTopic) return handleRouterOut(source, deps);
  const agent = deps.agentByOutTopic(source.topic);
  const raw = decodeJson(source.value);
  if (!agent)
    return deadLetter(deps, source, raw, 'unknown_agent', `no active agent writes to ${source.topic}`);
  const parsed = agentOutboundMessage.safeParse(raw);
  if (!parsed.success) {
    const waID =
      typeof (raw as { waID?: unknown })?.waID === 'string' ? String((raw as { waID: string }).waID) : '';
    const text = `invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`;
    return reportError(deps, source, agent, { waID, raw, code: 'invalid_message', text });
  }
  const message = parsed.data;
  const key = message.idempotency_key ?? `${source.topic}:${source.partition}:${source.offset}`;
  await runClaimed(deps, agent.id, key, {
    send: (markSending) => deliver(source, deps, agent, message, key, markSending),
    onUnknown: () =>
      reportError(deps, source, agent, {
        waID: message.waID,
        raw: message,
        key,
        code: 'send_failed',
        text: deliveryUnknownText,
        deadLetter: true,
      }),
  });
}

async function deliver(
  source: SourceMessage,
  deps: OutboundDeps,
  agent: Agent,
  message: AgentOutboundMessage,
  key: string,
  markSending: () => Promise<void>,
) {
  const state = await deps.store.loadUser(message.waID);
  const now = deps.now();
  const plan = planOutbound({
    message,
    agent,
    session: state.session,
    lastInboundAt: state.window?.lastInboundAt ?? null,
    now,
    windowMarginMs: deps.windowMarginMs,
    agents: deps.agents(),
    texts: deps.texts,
  });
  const ctx = { source, key, waID: message.waID, raw: message };
  if (plan.kind === 'reject') {
    await reportError(deps, source, agent, { ...ctx, code: plan.code, text: plan.text });
    return deps.claims.finish(agent.id, key, 'rejected');
  }
  if (plan.kind === 'handover') {
    await applyHandover(deps, plan.decision, message.waID, state.window, key);
    return deps.claims.finish(agent.id, key, 'sent');
  }
  const to = state.window?.user ?? { wa_id: message.waID };
  const outcome = await sendWithRetry(deps.sender, message.waID, to, plan.body, markSending);
  if (outcome.ok) {
    // Meta accepted it: throwing now would replay it as "delivery unknown" and drop its statuses (no wamid
    // mapping), so the bookkeeping waits out a Redis restart instead of failing at the first refused command.
    return retryStateWrite(deps.logger, 'recording a sent message', async () => {
      if (outcome.wamid)
        await deps.store.recordSent(outcome.wamid, {
          agentId: agent.id,
          userKey: message.waID,
          idempotencyKey: key,
        });
      await deps.claims.finish(agent.id, key, 'sent');
    });
  }
  const code: AgentErrorCode = outcome.windowClosed ? 'window_closed' : 'send_failed';
  const text = outcome.windowClosed
    ? 'Meta refused the message: the 24 h window is closed, send a template instead'
    : `sending failed after ${outcome.attempts} attempt(s): ${outcome.reason}`;
  await reportError(deps, source, agent, {
    ...ctx,
    code,
    text,
    metaError: outcome.metaError,
    deadLetter: !outcome.windowClosed,
  });
  await deps.claims.finish(agent.id, key, 'failed');
}

async function applyHandover(
  deps: OutboundDeps,
  decision: SessionDecision,
  userKey: string,
  window: Awaited<ReturnType<RouterStore['loadUser']>>['window'],
  causeId: string,
) {
  const user = window?.user ?? { wa_id: userKey };
  const ctx = {
    userKey,
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
    const value = { v: 1, waID: userKey, user, idempotency_key: `${causeId}:handover:${i}`, body };
    records.push({ topic: deps.routerOutTopic, key: userKey, value });
  });
  await deps.store.saveBatch({ users: new Map([[userKey, { session: decision.session, window }]]) });
  await deps.publish(records);
}

async function handleRouterOut(source: SourceMessage, deps: OutboundDeps): Promise<void> {
  const parsed = routerOutMessage.safeParse(decodeJson(source.value));
  if (!parsed.success)
    return deadLetter(
      deps,
      source,
      decodeJson(source.value),
      'invalid_message',
      'unreadable router-out record',
    );
  const { waID, user, idempotency_key: key, body } = parsed.data;
  await runClaimed(deps, routerSender, key, {
    send: async (markSending) => {
      const outcome = await sendWithRetry(deps.sender, waID, user, body, markSending);
      if (!outcome.ok)
        await deadLetter(deps, source, parsed.data, 'send_failed', outcome.reason, outcome.metaError);
      await deps.claims.finish(routerSender, key, outcome.ok ? 'sent' : 'failed');
    },
    onUnknown: () => deadLetter(deps, source, parsed.data, 'send_failed', deliveryUnknownText),
  });
}

interface ErrorReport {
  waID: string;
  raw: unknown;
  code: AgentErrorCode;
  text: string;
  key?: string;
  metaError?: MetaErrorDetail | undefined;
  deadLetter?: boolean;
}

async function reportError(deps: OutboundDeps, source: SourceMessage, agent: Agent, report: ErrorReport) {
  const value = toAgentErrorEvent({
    eventId: `${source.topic}:${source.partition}:${source.offset}:${report.code}`,
    agentId: agent.id,
    userKey: report.waID,
    code: report.code,
    text: report.text,
    now: deps.now(),
    rawPayload: report.raw,
    source: { topic: source.topic, partition: source.partition, offset: source.offset },
    ...(report.key ? { idempotencyKey: report.key } : {}),
    ...(report.metaError ? { metaError: report.metaError } : {}),
  });
  const records: OutRecord[] = [{ topic: agent.topics.error, key: report.waID, value }];
  if (report.deadLetter) records.push({ topic: deps.deadLetterTopic, key: report.waID, value });
  deps.logger.warn(
    {
      agent: agent.id,
      code: report.code,
      meta_code: report.metaError?.code,
      topic: source.topic,
      offset: source.offset,
    },
    'outbound rejected',
  );
  await deps.publish(records);
}

async function deadLetter(
  deps: OutboundDeps,
  source: SourceMessage,
  raw: unknown,
  code: AgentErrorCode,
  text: string,
  metaError?: MetaErrorDetail,
) {
  const value = toAgentErrorEvent({
    eventId: `${source.topic}:${source.partition}:${source.offset}`,
    agentId: routerSender,
    userKey: '',
    code,
    text,
    now: deps.now(),
    rawPayload: raw,
    source: { topic: source.topic, partition: source.partition, offset: source.offset },
    ...(metaError ? { metaError } : {}),
  });
  deps.logger.warn({ code, topic: source.topic, offset: source.offset }, 'outbound dead-lettered');
  await deps.publish([{ topic: deps.deadLetterTopic, key: source.topic, value }]);
}
