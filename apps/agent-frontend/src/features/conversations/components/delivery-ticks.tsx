import type { OperatorMessageStatus } from '@wa-broker/shared/operator-protocol';

const look: Record<OperatorMessageStatus, { symbol: string; label: string }> = {
  pending: { symbol: '🕓', label: 'Waiting to be sent' },
  sent: { symbol: '✓', label: 'Sent' },
  delivered: { symbol: '✓✓', label: 'Delivered' },
  read: { symbol: '✓✓', label: 'Read' },
  failed: { symbol: '!', label: 'Not delivered' },
};

export function DeliveryTicks({ status }: { status: OperatorMessageStatus }) {
  const { symbol, label } = look[status];
  return (
    <span
      className={`ticks ticks-${status}`}
      title={label}
      role="img"
      aria-label={label}
      data-status={status}
    >
      {symbol}
    </span>
  );
}
