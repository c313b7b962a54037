import { useCallback, useRef } from 'react';

/** How often, at most, the composer says the operator is typing (the backend sends WhatsApp one per 25 s). */
export const typingSignalMs = 4_000;

/**
 * A `typing` frame while the operator types, at most once per `intervalMs`, not per key: colleagues see
 * "… is typing" for a few seconds after each, the user sees WhatsApp's indicator.
 */
export function useTypingSignal(
  onTyping: (() => void) | undefined,
  intervalMs = typingSignalMs,
  now: () => number = Date.now,
): () => void {
  const last = useRef(Number.NEGATIVE_INFINITY);
  return useCallback(() => {
    if (!onTyping) return;
    const at = now();
    if (at - last.current < intervalMs) return;
    last.current = at;
    onTyping();
  }, [onTyping, intervalMs, now]);
}
