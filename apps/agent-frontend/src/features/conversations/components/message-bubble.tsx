import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { DeliveryTicks } from './delivery-ticks.js';
import { shortTime } from './format.js';
import { MediaContent } from './media-content.js';
import { mediaTypeOf } from './media-message.js';

function Body({ message }: { message: OperatorMessage }) {
  const { type, outbound } = message;
  if (message.direction === 'system') return <p>{message.text}</p>;
  const mediaType = mediaTypeOf(message);
  if (mediaType) return <MediaContent message={message} type={mediaType} />;
  if (type === 'location' && message.location) {
    const { latitude, longitude, name, address } = message.location;
    return (
      <p>
        📍 {name ?? 'Location'}
        {address ? `, ${address}` : ''}{' '}
        <a
          href={`https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}`}
          target="_blank"
          rel="noreferrer"
        >
          map
        </a>
      </p>
    );
  }
  if (type === 'list_reply' || type === 'button_reply')
    return (
      <p>
        <span className="chip">{type === 'list_reply' ? 'Chose from list' : 'Tapped'}</span>{' '}
        {message.reply?.title}
      </p>
    );
  if (type === 'reaction') return <p className="muted">{message.text}</p>;
  if (type === 'contacts') return <p>👤 {message.text}</p>;
  if (type === 'unsupported') return <p className="muted">⚠ {message.text}</p>;
  if (outbound?.kind === 'list')
    return (
      <>
        <p>{outbound.body}</p>
        <p className="chip">☰ {outbound.button}</p>
        <ul className="rows">
          {outbound.sections
            .flatMap((section) => section.rows)
            .map((row) => (
              <li key={row.id}>{row.title}</li>
            ))}
        </ul>
      </>
    );
  if (outbound?.kind === 'buttons')
    return (
      <>
        <p>{outbound.body}</p>
        <div className="reply-buttons">
          {outbound.buttons.map((button) => (
            <span key={button.id} className="chip">
              {button.title}
            </span>
          ))}
        </div>
      </>
    );
  if (outbound?.kind === 'template')
    return (
      <p>
        <span className="chip">Template</span> {outbound.name}
        {outbound.body_parameters.length > 0 ? ` (${outbound.body_parameters.join(', ')})` : ''}
      </p>
    );
  return <p className="text">{message.text}</p>;
}

export function MessageBubble({ message, now }: { message: OperatorMessage; now: Date }) {
  const kind =
    message.direction === 'system' ? (message.type === 'error' ? 'error' : 'system') : message.direction;
  return (
    <li className={`bubble bubble-${kind}`} data-testid="bubble" data-id={message.id}>
      <Body message={message} />
      <span className="bubble-meta">
        <time>{shortTime(message.timestamp, now)}</time>
        {message.direction === 'out' && message.status && <DeliveryTicks status={message.status} />}
      </span>
      {message.direction === 'out' && message.status === 'failed' && message.error && (
        <p className="bubble-error" role="alert">
          {message.error.text}
        </p>
      )}
    </li>
  );
}
