// The visitor's conversations, kept in the panel origin's localStorage after a handoff (its consent
// checkbox covers this). The token never leaves the panel origin: not to the host page, not into a URL
// the host can see.

/** The part of `Storage` the store uses (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** One conversation the visitor handed off on this device. */
export interface StoredConversation {
  token: string;
  ticketId: string;
  createdAt: number;
  /** Time of the newest agent message the visitor has seen (epoch ms). */
  seen: number;
  /** Whether the visitor answered (or skipped) the CSAT survey of the closed conversation. */
  rated?: boolean;
}

/** Most conversations kept per site: older ones are dropped first. */
export const MAX_STORED_CONVERSATIONS = 5;

const keyOf = (site: string) => `lotse:${site}:conversations`;

const isStored = (value: unknown): value is StoredConversation => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.token === 'string' &&
    /^[\w-]{16,200}$/.test(v.token) &&
    typeof v.ticketId === 'string' &&
    v.ticketId.length <= 128 &&
    typeof v.createdAt === 'number' &&
    typeof v.seen === 'number' &&
    (v.rated === undefined || typeof v.rated === 'boolean')
  );
};

/** The stored conversations of a site, newest first; nothing when storage is blocked or corrupt. */
export function readConversations(
  storage: KeyValueStorage | undefined,
  site: string,
): StoredConversation[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(keyOf(site)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isStored).slice(0, MAX_STORED_CONVERSATIONS) : [];
  } catch {
    return [];
  }
}

function write(storage: KeyValueStorage | undefined, site: string, list: StoredConversation[]) {
  try {
    if (list.length === 0) storage?.removeItem(keyOf(site));
    else storage?.setItem(keyOf(site), JSON.stringify(list.slice(0, MAX_STORED_CONVERSATIONS)));
  } catch {
    // Storage full or blocked: the conversation is still shown for this visit.
  }
}

/** Keeps a new conversation (newest first, one entry per token). */
export function rememberConversation(
  storage: KeyValueStorage | undefined,
  site: string,
  entry: StoredConversation,
): StoredConversation[] {
  const list = [entry, ...readConversations(storage, site).filter((c) => c.token !== entry.token)];
  write(storage, site, list);
  return readConversations(storage, site);
}

/** A conversation as the server lists it for a signed-in visitor (`listConversations`). */
export interface ListedConversation {
  conversationToken: string;
  ticketId: string;
  createdAt: number;
}

/**
 * Adds the conversations the server lists for a signed-in visitor (handed off on any device) to this
 * device's list, newest first. Ones already kept keep their state; new ones have nothing seen yet, so
 * their agent replies count as new.
 */
export function adoptConversations(
  storage: KeyValueStorage | undefined,
  site: string,
  listed: readonly ListedConversation[],
): StoredConversation[] {
  const known = readConversations(storage, site);
  const tokens = new Set(known.map((c) => c.token));
  const added = listed
    .map((c) => ({
      token: c.conversationToken,
      ticketId: c.ticketId,
      createdAt: c.createdAt,
      seen: 0,
    }))
    .filter((c) => !tokens.has(c.token) && isStored(c));
  if (added.length === 0) return known;
  write(
    storage,
    site,
    [...known, ...added].sort((a, b) => b.createdAt - a.createdAt),
  );
  return readConversations(storage, site);
}

/** Changes one stored conversation; `undefined` as the patch forgets it (e.g. the server answered 404). */
export function updateConversation(
  storage: KeyValueStorage | undefined,
  site: string,
  token: string,
  patch: Partial<Pick<StoredConversation, 'seen' | 'rated'>> | undefined,
): StoredConversation[] {
  const list = readConversations(storage, site).flatMap((c) =>
    c.token !== token ? [c] : patch ? [{ ...c, ...patch }] : [],
  );
  write(storage, site, list);
  return list;
}

/** Agent messages newer than what the visitor has seen. */
export function countUnread(
  messages: readonly { from: string; ts: number }[],
  seen: number,
): number {
  return messages.filter((m) => m.from === 'agent' && m.ts > seen).length;
}

/** The time of the newest agent message, or `seen` when there is none newer. */
export function newestAgentTime(
  messages: readonly { from: string; ts: number }[],
  seen: number,
): number {
  return messages.reduce((max, m) => (m.from === 'agent' && m.ts > max ? m.ts : max), seen);
}
