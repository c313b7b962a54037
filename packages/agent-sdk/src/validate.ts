import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { assertOutboundRules, OutboundValidationError } from '@wa-broker/shared/outbound-rules';

export { OutboundValidationError };

/**
 * Checks a `-out` message with the router's own rules (`@wa-broker/shared/outbound-rules`), so a mistake fails
 * at the call site instead of coming back later as an `invalid_message` on `-error`.
 * Throws {@link OutboundValidationError}.
 */
export function validateOutbound(message: AgentOutboundMessage): void {
  const parsed = agentOutboundMessage.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OutboundValidationError(issue?.message ?? 'invalid message', issue?.path.join('.') ?? '');
  }
  assertOutboundRules(parsed.data);
}
