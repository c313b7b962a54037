import type { MetaErrorDetail, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { inSpan, SpanKind } from '@wa-broker/shared/trace-context';
import type { GraphMessage } from '../domain/graph-message.js';
import type { GraphApi, SendResult } from '../domain/ports.js';

export type { GraphApi, SendResult } from '../domain/ports.js';

export interface GraphApiSettings {
  baseUrl: string;
  version: string;
  timeoutMs: number;
}

/**
 * POSTs to `<base>/<version>/<phone-number-id>/messages` of the sending number, the only endpoint the router
 * calls; its token goes only in the Authorization header: never in a URL, a log line, a topic or an error.
 */
export function createGraphApiClient(settings: GraphApiSettings): GraphApi {
  const base = `${settings.baseUrl.replace(/\/$/, '')}/${settings.version}`;
  return {
    send(from, to, body, callbackData) {
      // The last hop of a message's trace (issue 21 §2): under the outbound span of the -out record.
      return inSpan(
        'graph.send',
        { kind: SpanKind.CLIENT, attributes: { 'wa.type': body.type } },
        async (span) => {
          const result = await post(from, to, body, callbackData);
          if (result.ok && result.wamid) span.setAttribute('wa.wamid', result.wamid);
          if (!result.ok) span.setAttribute('wa.refused', result.metaError?.code ?? result.httpStatus ?? 0);
          return result;
        },
      );
    },
  };

  async function post(...[from, to, body, callbackData]: Parameters<GraphApi['send']>): Promise<SendResult> {
    try {
      const response = await fetch(`${base}/${from.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${from.token}` },
        body: JSON.stringify(requestBody(to, body, callbackData)),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      // Meta had the message by then: the limiter holds its place from here, not from when the body is read.
      const answeredAt = performance.now();
      const json = (await response.json().catch(() => undefined)) as GraphResponse | undefined;
      if (response.ok)
        return { ok: true, answeredAt, ...(json?.messages?.[0]?.id ? { wamid: json.messages[0].id } : {}) };
      return { ...failure(response.status, json), answeredAt };
    } catch (error) {
      // Only the error's name: fetch errors can carry the request, and the reason reaches agents.
      const name = error instanceof Error ? error.name : 'Error';
      return {
        ok: false,
        reason: name === 'TimeoutError' ? 'Graph API timed out' : `Graph API unreachable (${name})`,
      };
    }
  }
}

interface GraphResponse {
  messages?: { id?: string }[];
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

function requestBody(to: UserIdentity, body: GraphMessage, callbackData?: string): Record<string, unknown> {
  if (body.type === 'mark_as_read')
    return {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: body.message_id,
      // The same call shows "typing…" (meta-2026-changes.md §1.4); Meta knows only the `text` type.
      ...(body.typing_indicator ? { typing_indicator: { type: 'text' } } : {}),
    };
  // Users known only by a business-scoped id are addressed with `recipient`, not `to`.
  const address = to.wa_id ? { to: to.wa_id } : { recipient: to.user_id };
  const callback = callbackData ? { biz_opaque_callback_data: callbackData } : {};
  return { messaging_product: 'whatsapp', recipient_type: 'individual', ...address, ...body, ...callback };
}

function failure(httpStatus: number, json: GraphResponse | undefined): SendResult {
  const error = json?.error;
  if (typeof error?.code !== 'number')
    return { ok: false, httpStatus, reason: `Graph API answered HTTP ${httpStatus}` };
  const metaError: MetaErrorDetail = {
    code: error.code,
    title: error.message ?? `error ${error.code}`,
    ...(error.error_data?.details ? { details: error.error_data.details } : {}),
  };
  return { ok: false, httpStatus, metaError, reason: error.error_data?.details ?? metaError.title };
}
