import type { TemplateMessage } from '@wa-broker/shared/agent-outbound';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';

/**
 * The body of one Graph API send, without the addressing (`messaging_product`, `to`/`recipient`), which the
 * client adds. Shapes follow docs/whatsapp-cloud-api.md §5.
 */
export interface ListRowBody {
  id: string;
  title: string;
  description?: string;
}
export interface ListSectionBody {
  title: string;
  rows: ListRowBody[];
}
export interface TextHeader {
  type: 'text';
  text: string;
}
export type InteractiveBody =
  | {
      type: 'list';
      header?: TextHeader;
      body: { text: string };
      footer?: { text: string };
      action: { button: string; sections: ListSectionBody[] };
    }
  | {
      type: 'button';
      header?: TextHeader;
      body: { text: string };
      footer?: { text: string };
      action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
    };

export type MessageContext = { message_id: string };

/** A media send (§5, §8): by the id of an upload or a link. */
export interface GraphMedia {
  id?: string;
  link?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}
type GraphMediaMessage = {
  [T in MetaMediaType]: { type: T; context?: MessageContext } & { [K in T]: GraphMedia };
}[MetaMediaType];

export type GraphMessage =
  | GraphMediaMessage
  | { type: 'text'; text: { body: string; preview_url?: boolean }; context?: MessageContext }
  | { type: 'interactive'; interactive: InteractiveBody; context?: MessageContext }
  | { type: 'template'; template: GraphTemplate; context?: MessageContext }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } }
  | { type: 'mark_as_read'; message_id: string; typing_indicator?: boolean };

export interface GraphTemplate {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateMessage['components'];
}

/**
 * Templates and read receipts are the only sends allowed once the 24 h window has closed; a read receipt showing
 * "typing…" is not, since it announces a free-form reply that could not follow.
 */
export function needsOpenWindow(message: GraphMessage): boolean {
  if (message.type === 'mark_as_read') return message.typing_indicator === true;
  return message.type !== 'template';
}
