import type { CannedReply } from '@wa-broker/shared/operator-protocol';
import { socketUrl } from '../../../config/env.js';
import { useOperatorConnection } from '../../../lib/operator-connection.js';
import { Inbox } from '../components/inbox.js';

/** The inbox on its own socket, as the app's shell gives it one (the development token as `?token=`). */
export function ConnectedInbox({ token, cannedReplies }: { token?: string; cannedReplies?: CannedReply[] }) {
  const connection = useOperatorConnection(socketUrl(window.location, token));
  return (
    <Inbox connection={connection} token={token ?? null} {...(cannedReplies ? { cannedReplies } : {})} />
  );
}
