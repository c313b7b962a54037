import { type RefObject, useEffect, useRef } from 'react';

/**
 * Keeps the newest message in view: on a new last message, and when a photo or video above it finishes loading
 * and grows the list, unless the operator has scrolled up to read older messages.
 */
export function useStickToBottom(container: RefObject<HTMLElement | null>, lastId: string | undefined) {
  const atBottom = useRef(true);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const onScroll = () => {
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    };
    const onGrow = () => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    };
    element.addEventListener('scroll', onScroll);
    // Media load events do not bubble: listen while they go down.
    element.addEventListener('load', onGrow, true);
    element.addEventListener('loadedmetadata', onGrow, true);
    return () => {
      element.removeEventListener('scroll', onScroll);
      element.removeEventListener('load', onGrow, true);
      element.removeEventListener('loadedmetadata', onGrow, true);
    };
  }, [container]);
  useEffect(() => {
    if (!lastId) return;
    atBottom.current = true;
    const element = container.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [lastId, container]);
}
