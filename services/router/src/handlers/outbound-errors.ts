import type { AgentErrorCode, AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { MetaErrorDetail } from '@wa-broker/shared/agent-inbound';
import type { DeadLetterInput } from '@wa-broker/shared/dead-letter';
import { userRef } from '@wa-broker/shared/log-privacy';
import type { Agent } from '../domain/agent.js';
import { toAgentErrorEvent } from '../domain/agent-events.js';
import type { OutRecord } from '../domain/ports.js';
import { deadLetterRecord } from './dead-letter.js';
import type { OutboundDeps, SourceMessage } from './outbound-message.js';

// What a refused or failed agent send produces (handlers/outbound-message.ts): the agent's error event, and a dead
// letter where the issue asks for one; what no agent can be told about goes to the dead letter only.

type ErrorDeps = Pick<OutboundDeps, 'now' | 'logger' | 'deadLetterTopic'>;

/** The -out record's coordinates as one id: the send's key when the agent gave none, and its error events'. */
export const sourceId = (source: SourceMessage) => `${source.topic}:${source.partition}:${source.offset}`;

interface ErrorReport {
  waID: string;
  raw: unknown;
  code: AgentErrorCode;
  text: string;
  key?: string;
  metaError?: MetaErrorDetail | undefined;
  problems?: AgentErrorEvent['problems'];
  deadLetter?: boolean;
  /** The number the send was to leave from, when known. */
  phoneNumberId?: string;
}

export function reportError(
  deps: ErrorDeps,
  source: SourceMessage,
  agent: Agent,
  report: ErrorReport,
): OutRecord[] {
  const value = toAgentErrorEvent({
    eventId: `${sourceId(source)}:${report.code}`,
    agentId: agent.id,
    userKey: report.waID,
    ...(report.phoneNumberId ? { phoneNumberId: report.phoneNumberId } : {}),
    code: report.code,
    text: report.text,
    now: deps.now(),
    rawPayload: report.raw,
    source: { topic: source.topic, partition: source.partition, offset: source.offset },
    ...(report.key ? { idempotencyKey: report.key } : {}),
    ...(report.metaError ? { metaError: report.metaError } : {}),
    ...(report.problems ? { problems: report.problems } : {}),
  });
  const records: OutRecord[] = [{ topic: agent.topics.error, key: report.waID, value }];
  if (report.deadLetter)
    records.push(
      deadLetterRecord(deps.deadLetterTopic, {
        reason: 'send_failed',
        text: report.text,
        source: coordinates(source),
        at: deps.now(),
        ...(report.waID ? { waID: report.waID } : {}),
        agent: agent.id,
        ...(report.key ? { idempotency_key: report.key } : {}),
        ...(report.metaError ? { meta_error: report.metaError } : {}),
        raw: source.value,
      }),
    );
  deps.logger.warn(
    {
      agent: agent.id,
      user: userRef(report.waID),
      code: report.code,
      meta_code: report.metaError?.code,
      topic: source.topic,
      offset: source.offset,
    },
    'outbound rejected',
  );
  return records;
}

/** What no agent can be told about (no agent, unreadable, the router's own sends): the dead letter only. */
export function deadLetter(
  deps: ErrorDeps,
  source: SourceMessage,
  what: Pick<DeadLetterInput, 'reason' | 'text' | 'waID' | 'agent' | 'idempotency_key' | 'meta_error'>,
): OutRecord[] {
  deps.logger.warn(
    { reason: what.reason, topic: source.topic, offset: source.offset },
    'outbound dead-lettered',
  );
  const input = { ...what, source: coordinates(source), at: deps.now(), raw: source.value };
  return [deadLetterRecord(deps.deadLetterTopic, input)];
}

const coordinates = ({ topic, partition, offset }: SourceMessage) => ({ topic, partition, offset });
