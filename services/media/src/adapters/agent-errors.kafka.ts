import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { IdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import { encodeJson } from '@wa-broker/shared/kafka';
import type { AgentErrors, Clock } from '../domain/ports.js';

/**
 * `media_unavailable` on the owning agent's `-error` topic, keyed by the user like every record about them. The
 * event id is the file's, so a repeat (this process died before recording the failure) is deduped by agents.
 */
export function createKafkaAgentErrors(producer: IdempotentProducer, clock: Clock): AgentErrors {
  return {
    async mediaUnavailable(notice) {
      const event: AgentErrorEvent = {
        v: 1,
        event_id: `media-unavailable:${notice.phoneNumberId}:${notice.media.id}`,
        waID: notice.waID,
        phone_number_id: notice.phoneNumberId,
        text: `The user's ${notice.media.type} could not be stored: ${notice.reason}`,
        raw_payload: null,
        code: 'media_unavailable',
        agent: notice.agentId,
        timestamp: clock.now().toISOString(),
        ...(notice.wamid ? { wamid: notice.wamid } : {}),
        media: notice.media,
        ...(notice.metaError ? { meta_error: notice.metaError } : {}),
      };
      await producer.send({
        topic: notice.errorTopic,
        acks: -1,
        messages: [{ key: notice.waID, value: encodeJson(event) }],
      });
    },
  };
}
