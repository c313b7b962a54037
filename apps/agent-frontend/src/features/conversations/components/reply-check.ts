import {
  type OperatorReply,
  operatorReply,
  operatorReplyToOutbound,
} from '@wa-broker/shared/operator-protocol';
import { assertOutboundRules, OutboundValidationError } from '@wa-broker/shared/outbound-rules';

/** A problem with one field of a draft (`caption`, `size`…), or of the whole (`reply`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The router's own check of Meta's limits (shared rules), so the form refuses what the router would. */
export function brokenRule(reply: OperatorReply): FieldProblem | null {
  try {
    assertOutboundRules({ v: 1, waID: 'draft', ...operatorReplyToOutbound(reply) });
    return null;
  } catch (error) {
    if (error instanceof OutboundValidationError)
      return { field: error.field.replace(/^media\./, ''), message: error.message };
    throw error;
  }
}

/** A draft checked by the protocol's schema, then by the router's rules: the reply, or why not by field. */
export function checkReply(draft: unknown): { reply: OperatorReply } | { problems: FieldProblem[] } {
  const parsed = operatorReply.safeParse(draft);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems = parsed.error.issues
      .map((issue) => ({ field: String(issue.path[0] ?? 'reply'), message: issue.message }))
      .filter((problem) => !seen.has(problem.message) && Boolean(seen.add(problem.message)));
    return { problems };
  }
  const refused = brokenRule(parsed.data);
  return refused ? { problems: [refused] } : { reply: parsed.data };
}
