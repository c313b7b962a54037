import { useCallback, useEffect, useRef, useState } from 'react';
import { withWait } from '../components/media-message.js';

/**
 * - `ok`: loading or loaded;
 * - `checking`: the element failed, asking the server why;
 * - `gone` (410): the broker could not fetch the file from Meta, it never will;
 * - `missing` (404 after waiting): not stored (yet);
 * - `expired` (401/403): the signed link is no longer valid;
 * - `unplayable`: the server has the file but this browser cannot show it (an AMR voice note, say);
 * - `failed`: no answer.
 */
export type MediaAvailability = 'ok' | 'checking' | 'gone' | 'missing' | 'expired' | 'unplayable' | 'failed';

/** How long the first load waits for a file still on its way into storage, and a retry (the server's max). */
export const firstWaitMs = 10_000;
export const retryWaitMs = 20_000;

export interface MediaStatus {
  availability: MediaAvailability;
  /** The link to load, with `wait` (longer on a retry). */
  src: string;
  /** Bumped on every retry: a `key` that remounts the element. */
  attempt: number;
  /** Content-Length from the server's answer, when it was asked (documents). */
  size?: number;
  /** The element could not load the file: ask the server why. */
  failed: () => void;
  retry: () => void;
}

async function ask(url: string, waitMs: number): Promise<{ status: number; size?: number }> {
  try {
    const answer = await fetch(withWait(url, waitMs), { method: 'HEAD', cache: 'no-store' });
    const length = Number(answer.headers.get('content-length'));
    return { status: answer.status, ...(answer.ok && length > 0 ? { size: length } : {}) };
  } catch {
    return { status: 0 };
  }
}

function availabilityOf(status: number, loadFailed: boolean): MediaAvailability {
  if (status === 410) return 'gone';
  if (status === 404) return 'missing';
  if (status === 401 || status === 403) return 'expired';
  if (status >= 200 && status < 300) return loadFailed ? 'unplayable' : 'ok';
  return 'failed';
}

interface State {
  url: string;
  attempt: number;
  availability: MediaAvailability;
  size?: number;
}

/**
 * Whether a signed media link can be shown, and why not. Images, audio and video report their own load errors
 * (`failed`); a document has no element that loads, so `checkFirst` asks the server at once (HEAD). A new link
 * for the same file (history reloaded) starts afresh. `inStorage` is true once the backend said the file is in
 * storage (`media_stored`): a file that took longer than the first wait shows `missing` until then, and is then
 * loaded again by itself, once (a file still missing after that waits for the operator's Retry).
 */
export function useMediaStatus(url: string, checkFirst = false, inStorage = false): MediaStatus {
  const fresh = (attempt: number): State => ({ url, attempt, availability: checkFirst ? 'checking' : 'ok' });
  const [stored, setState] = useState<State>(() => fresh(0));
  const state = stored.url === url ? stored : fresh(0);
  const { attempt } = state;
  const latest = useRef(state);
  latest.current = state;

  const check = useCallback(
    async (waitMs: number, loadFailed: boolean) => {
      const asked = { url, attempt };
      setState({ ...asked, availability: 'checking' });
      const answer = await ask(url, waitMs);
      if (latest.current.url !== asked.url || latest.current.attempt !== asked.attempt) return;
      setState({ ...asked, availability: availabilityOf(answer.status, loadFailed), size: answer.size });
    },
    [url, attempt],
  );

  useEffect(() => {
    if (checkFirst) void check(attempt === 0 ? firstWaitMs : retryWaitMs, false);
  }, [checkFirst, check, attempt]);

  const reloadedWhenStored = useRef(false);
  useEffect(() => {
    if (!inStorage || state.availability !== 'missing' || reloadedWhenStored.current) return;
    reloadedWhenStored.current = true;
    setState({ url, attempt: attempt + 1, availability: checkFirst ? 'checking' : 'ok' });
  }, [inStorage, state.availability, url, attempt, checkFirst]);

  return {
    availability: state.availability,
    src: withWait(url, attempt === 0 ? firstWaitMs : retryWaitMs),
    attempt,
    ...(state.size ? { size: state.size } : {}),
    failed: () => void check(0, true),
    retry: () => setState(fresh(attempt + 1)),
  };
}
