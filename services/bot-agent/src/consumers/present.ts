import type { Replier, SendOptions } from '@wa-broker/agent-sdk';
import type { Reply } from '../domain/replies.js';

/** Sends a reply with the SDK (which checks Meta's limits before producing). */
export async function present(reply: Reply, to: Replier, options: SendOptions = {}): Promise<void> {
  switch (reply.kind) {
    case 'text':
      await to.text(reply.text, options);
      return;
    case 'buttons':
      await to.buttons({ body: reply.body, buttons: reply.buttons, ...options });
      return;
    case 'list':
      await to.list({
        body: reply.body,
        button: reply.button,
        title: reply.title,
        rows: reply.rows,
        ...options,
      });
      return;
  }
}
