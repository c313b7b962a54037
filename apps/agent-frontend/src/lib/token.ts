const key = 'wa-broker.operator-token';

/**
 * The operator token comes once as `?token=` (then leaves the address bar, so it is not shared by copying the
 * URL) or from the sign-in form, and lives in this tab's session storage.
 */
export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(key, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return storage.getItem(key);
}

export function saveToken(storage: Storage, token: string): void {
  storage.setItem(key, token);
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(key);
}
