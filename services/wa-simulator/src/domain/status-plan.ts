export interface StatusDelays {
  sentMs: number;
  deliveredMs: number;
  readMs: number;
}

export type PlannedStatus = {
  status: 'sent' | 'delivered' | 'read' | 'failed';
  afterMs: number;
  error?: { code: number; title: string; details: string };
};

/**
 * What Meta reports after accepting a message: sent, delivered, then read when the user has the chat open
 * (or `failed` with a code). A reaction gets `sent` and nothing more; a mark-as-read gets no statuses.
 */
export function planStatuses(
  delays: StatusDelays,
  options: { autoRead: boolean; type: string; failWith?: PlannedStatus['error'] },
): PlannedStatus[] {
  if (options.failWith) return [{ status: 'failed', afterMs: delays.sentMs, error: options.failWith }];
  if (options.type === 'reaction') return [{ status: 'sent', afterMs: delays.sentMs }];
  const plan: PlannedStatus[] = [
    { status: 'sent', afterMs: delays.sentMs },
    { status: 'delivered', afterMs: delays.deliveredMs },
  ];
  if (options.autoRead) plan.push({ status: 'read', afterMs: delays.readMs });
  return plan;
}
