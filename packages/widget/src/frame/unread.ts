// The hidden page the host controller loads at page load for a visitor who handed off before: it reads
// the visitor's conversations from this (the panel's) origin's storage, asks the server for each, and
// posts only the number of new replies to the embedding page. The tokens never leave this origin.
import { MAX_UNREAD, type PanelMessage } from '../bridge/messages.js';
import {
  countUnread,
  readConversations,
  updateConversation,
} from '../follow-up/conversation-store.js';
import { openPanelStorage } from '../follow-up/panel-storage.js';

async function check(): Promise<void> {
  const params = new URLSearchParams(location.hash.slice(1));
  const site = params.get('site') ?? '';
  let hostOrigin: string;
  try {
    hostOrigin = new URL(params.get('origin') ?? '').origin;
  } catch {
    return;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(site) || window.parent === window) return;
  const storage = openPanelStorage();
  const stored = readConversations(storage, site);
  const counts = await Promise.all(
    stored.map(async ({ token, seen, user }) => {
      // A signed-in visitor's wait for the panel, where the server checks the sign-in: the person at
      // this device now may be someone else. Kept, so a later sign-out still reaches them.
      if (user) return 0;
      try {
        const response = await fetch(`/v1/conversations/${encodeURIComponent(token)}`, {
          credentials: 'omit',
          cache: 'no-store',
        });
        if (response.status === 404) {
          updateConversation(storage, site, token, undefined);
          return -1;
        }
        if (!response.ok) return 0;
        const conversation = (await response.json()) as { messages?: unknown };
        return Array.isArray(conversation.messages) ? countUnread(conversation.messages, seen) : 0;
      } catch {
        return 0;
      }
    }),
  );
  const count = Math.min(
    MAX_UNREAD,
    counts.reduce((sum, n) => sum + Math.max(0, n), 0),
  );
  const message: PanelMessage = {
    lotse: 1,
    type: 'unread',
    count,
    conversations: counts.filter((n) => n >= 0).length,
  };
  // Only the embedding page at the origin the controller named gets the count; the server's
  // frame-ancestors lets only the site's allowed origins frame this page at all.
  window.parent.postMessage(message, hostOrigin);
}

void check();
