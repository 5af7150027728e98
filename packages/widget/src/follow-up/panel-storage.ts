// Storage on the panel's origin. Browsers that block third-party storage (Chromium with third-party
// cookies blocked, as in the test browser) deny `localStorage` inside the panel frame but still allow
// partitioned cookies (CHIPS): keyed by the host site, never readable by the host page, and with
// `Path=/panel/` sent only with the panel's own page and asset requests, never with the API's.
import type { KeyValueStorage } from './conversation-store.js';

// Chromium caps a cookie's lifetime at 400 days; a year keeps a conversation and the NPS rule.
const maxAgeSeconds = 365 * 24 * 60 * 60;

/** A {@link KeyValueStorage} over partitioned cookies (each value URI-encoded, one cookie per key). */
export function createCookieStorage(doc: Pick<Document, 'cookie'> = document): KeyValueStorage {
  const name = (key: string) => encodeURIComponent(key);
  const write = (key: string, value: string, maxAge: number) => {
    doc.cookie = `${name(key)}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/panel/; Secure; SameSite=None; Partitioned`;
  };
  return {
    getItem: (key) => {
      const prefix = `${name(key)}=`;
      const found = doc.cookie.split('; ').find((pair) => pair.startsWith(prefix));
      return found === undefined ? null : decodeURIComponent(found.slice(prefix.length));
    },
    setItem: (key, value) => write(key, value, maxAgeSeconds),
    removeItem: (key) => write(key, '', 0),
  };
}

/** `localStorage` when the browser allows it in the panel frame, else partitioned cookies. */
export function openPanelStorage(): KeyValueStorage | undefined {
  try {
    const probe = 'lotse:probe';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return navigator.cookieEnabled ? createCookieStorage() : undefined;
  }
}
