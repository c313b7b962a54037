import type {
  OperatorConversation,
  OperatorMessage,
  OperatorReply,
} from '@wa-broker/shared/operator-protocol';
import { isWindowOpen } from '@wa-broker/shared/reply-window';
import { useEffect, useRef } from 'react';
import type { SendResult } from '../hooks/use-inbox.js';
import { Composer } from './composer.js';
import { userDetails, userLabel } from './format.js';
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
}

export function ChatPane({
  conversation,
  messages,
  hasOlder,
  now,
  onBack,
  onLoadOlder,
  onSend,
}: ChatPaneProps) {
  const end = useRef<HTMLDivElement>(null);
  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    if (lastId) end.current?.scrollIntoView?.({ block: 'end' });
  }, [lastId]);
  const windowOpen = isWindowOpen(conversation.window_expires_at, now);
  const sessionEnded = conversation.session === 'ended';
  return (
    <section className="chat" aria-label={`Chat with ${userLabel(conversation)}`}>
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
      <div className="messages">
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
        <div ref={end} />
      </div>
      {sessionEnded ? (
        <p className="notice session-ended" role="status">
          The session has ended: the router refuses replies until the user chooses this agent again.
        </p>
      ) : (
        <Composer key={conversation.wa_id} windowOpen={windowOpen} onSend={onSend} />
      )}
    </section>
  );
}
