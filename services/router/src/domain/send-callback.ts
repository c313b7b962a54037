/**
 * `biz_opaque_callback_data` of every Graph API send: it names the send (the agent and its idempotency key, i.e.
 * the send claim), and Meta echoes it in every status webhook of that message (docs/whatsapp-cloud-api.md §4).
 * A router that died between Meta's answer and recording the wamid leaves no wamid → agent mapping; the first
 * status that carries this names the owner anyway, so the statuses still reach the agent and the claim is
 * resolved as sent instead of "delivery unknown".
 */
export interface SendReference {
  agentId: string;
  idempotencyKey: string;
}

/** Meta's limit for `biz_opaque_callback_data`. */
export const callbackDataMaxLength = 512;

const tag = 'wab1';

/** Encodes a send reference; undefined when it would not fit Meta's 512 characters (the send goes without it). */
export function encodeSendReference(reference: SendReference): string | undefined {
  const encoded = JSON.stringify({ [tag]: [reference.agentId, reference.idempotencyKey] });
  return encoded.length <= callbackDataMaxLength ? encoded : undefined;
}

/** The send reference in a status' callback data, or undefined for anything we did not write. */
export function decodeSendReference(data: string | undefined): SendReference | undefined {
  if (!data?.startsWith(`{"${tag}":`)) return undefined;
  try {
    const parsed = (JSON.parse(data) as Record<string, unknown>)[tag];
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [agentId, idempotencyKey] = parsed as unknown[];
    if (typeof agentId !== 'string' || typeof idempotencyKey !== 'string' || !agentId || !idempotencyKey)
      return undefined;
    return { agentId, idempotencyKey };
  } catch {
    return undefined;
  }
}
