import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { OperatorConversation, ServerFrame } from '@wa-broker/shared/operator-protocol';
import { WebSocket } from 'ws';

/**
 * An operator's inbox socket (`/ws`) signed in with the session cookie (operators.ts), as the operator UI opens
 * it: requests tagged with a `request_id` and answered by the frame echoing it (an answer or an `error`).
 */
export interface OperatorSocket {
  frames: ServerFrame[];
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<ServerFrame>;
  /** Every conversation of the inbox, open and resolved, newest activity first. */
  conversations(): Promise<OperatorConversation[]>;
  close(): void;
}

export async function openOperatorSocket(agentUrl: string, cookie: string): Promise<OperatorSocket> {
  const ws = new WebSocket(`${agentUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const request = async (frame: Record<string, unknown>, timeoutMs = 10_000) => {
    const requestId = randomUUID();
    ws.send(JSON.stringify({ v: 1, ...frame, request_id: requestId }));
    return eventually(() => frames.find((answer) => answer.request_id === requestId), {
      what: `the answer to ${String(frame.type)} from ${agentUrl}`,
      timeoutMs,
      intervalMs: 20,
    });
  };
  return {
    frames,
    request,
    async conversations() {
      const answer = await request({ type: 'list_conversations', limit: 200 });
      if (answer.type !== 'conversations') throw new Error(`list_conversations: ${JSON.stringify(answer)}`);
      return answer.conversations;
    },
    close: () => ws.close(),
  };
}
