import type {
  CannedReply,
  OperatorConversation,
  OperatorMessage,
  OperatorReply,
  OperatorTemplate,
} from '@wa-broker/shared/operator-protocol';
import { isWindowOpen } from '@wa-broker/shared/reply-window';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import type { MediaUploader } from '../../../lib/media-upload.js';
import { useFileDrop } from '../hooks/use-file-drop.js';
import type { SendResult } from '../hooks/use-inbox.js';
import { useStickToBottom } from '../hooks/use-stick-to-bottom.js';
import { Composer } from './composer.js';
import { userDetails, userLabel } from './format.js';
import type { Attachment } from './media-draft-form.js';
import { MessageBubble } from './message-bubble.js';
import { WindowCountdown } from './window-countdown.js';

export interface ChatPaneProps {
  conversation: OperatorConversation;
  messages: OperatorMessage[];
  hasOlder: boolean;
  now: Date;
  onBack: () => void;
  onLoadOlder: () => void;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  /** Uploads a file for this conversation (the inbox adds the token and the conversation's number). */
  onUpload: MediaUploader;
  /** The template picker's list for this conversation (undefined until loaded) and how to ask for it. */
  templates?: OperatorTemplate[] | undefined;
  onLoadTemplates?: (waId: string) => void;
  /** Under the name: who answers it, its status and what the operator may do (assignment-bar). */
  assignment?: ReactNode;
  /** Colleagues typing here now, by name. */
  typingNames?: string[];
  /** The Notes tab's content (notes-panel): shown instead of the chat and the composer. */
  notes?: ReactNode;
  cannedReplies?: readonly CannedReply[];
  onTyping?: () => void;
}

export function ChatPane({
  conversation,
  messages,
  hasOlder,
  now,
  onBack,
  onLoadOlder,
  onSend,
  onUpload,
  templates,
  onLoadTemplates,
  assignment,
  typingNames = [],
  notes,
  cannedReplies,
  onTyping,
}: ChatPaneProps) {
  const [tab, setTab] = useState<'messages' | 'notes'>('messages');
  const list = useRef<HTMLDivElement>(null);
  useStickToBottom(list, messages.at(-1)?.id);
  const windowOpen = isWindowOpen(conversation.window_expires_at, now);
  const sessionEnded = conversation.session === 'ended';
  // The file being sent belongs to the conversation it was added in.
  const [added, setAdded] = useState<(Attachment & { waId: string }) | null>(null);
  const attachment = added?.waId === conversation.wa_id ? added : null;
  const attachments = useRef(0);
  const attach = (file: File | null, options: { voiceNote?: boolean } = {}) => {
    attachments.current += 1;
    setAdded(file ? { id: attachments.current, file, waId: conversation.wa_id, ...options } : null);
  };
  // A file being uploaded and sent is not replaced by one dropped or pasted meanwhile (it would be cancelled).
  // Once its draft is closed nothing is being sent, in the same render (the form's busy flag is cleared by an
  // effect of its unmount, a moment later: a drop in between would be lost).
  const [sendingFile, setSendingFile] = useState(false);
  const busy = attachment !== null && sendingFile;
  const waId = conversation.wa_id;
  const loadTemplates = useCallback(() => onLoadTemplates?.(waId), [onLoadTemplates, waId]);
  const drop = useFileDrop((file) => attach(file), windowOpen && !sessionEnded && !busy);
  return (
    <section
      className={`chat ${drop.dragging ? 'is-dragging' : ''}`}
      aria-label={`Chat with ${userLabel(conversation)}`}
      {...drop.handlers}
    >
      {drop.dragging && (
        <p className="drop-hint" aria-hidden="true">
          Drop the file to send it
        </p>
      )}
      <header className="chat-header">
        <button type="button" className="back" onClick={onBack} aria-label="Back to conversations">
          ←
        </button>
        <div>
          <h2>{userLabel(conversation)}</h2>
          <span className="muted">
            {userDetails(conversation)}
            {conversation.session === 'ended' ? ' · session ended' : ''}
          </span>
        </div>
        <WindowCountdown expiresAt={conversation.window_expires_at} now={now} sessionEnded={sessionEnded} />
      </header>
      {assignment}
      {notes && (
        <div className="modes chat-tabs" role="tablist" aria-label="Conversation">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'messages'}
            onClick={() => setTab('messages')}
          >
            Messages
          </button>
          <button type="button" role="tab" aria-selected={tab === 'notes'} onClick={() => setTab('notes')}>
            Notes
          </button>
        </div>
      )}
      {tab === 'notes' && notes}
      {/* Hidden, not unmounted, under Notes: the reply being typed survives a look at the notes. */}
      <div className="chat-body" hidden={tab === 'notes' && Boolean(notes)}>
        {chat()}
      </div>
    </section>
  );

  function chat() {
    return (
      <>
        <div className="messages" ref={list}>
          {hasOlder && (
            <button type="button" className="link older" onClick={onLoadOlder}>
              Load older messages
            </button>
          )}
          <ol aria-label="Messages">
            {messages.map((message) => (
              <MessageBubble key={message.id} message={message} now={now} />
            ))}
          </ol>
        </div>
        {typingNames.length > 0 && (
          <p className="typing-line" data-testid="colleague-typing" aria-live="polite">
            {typingNames.join(', ')} {typingNames.length > 1 ? 'are' : 'is'} typing…
          </p>
        )}
        {sessionEnded ? (
          <p className="notice session-ended" role="status">
            The session has ended: the router refuses replies until the user chooses this agent again.
          </p>
        ) : (
          <Composer
            key={conversation.wa_id}
            windowOpen={windowOpen}
            onSend={onSend}
            onUpload={onUpload}
            attachment={attachment}
            onAttach={attach}
            onDetach={(id) => setAdded((current) => (current?.id === id ? null : current))}
            onBusyChange={setSendingFile}
            {...(onLoadTemplates ? { onLoadTemplates: loadTemplates, templates } : {})}
            {...(cannedReplies ? { cannedReplies } : {})}
            {...(onTyping ? { onTyping } : {})}
          />
        )}
      </>
    );
  }
}
