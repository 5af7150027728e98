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
  /**
   * The signed-in visitor's (listed by the server for their signed `identify`, or handed off while
   * signed in): shown only while the server accepts that sign-in, forgotten at sign-out.
   */
  user?: true;
}

/**
 * Most conversations kept per site, older ones dropped first. The server lists a signed-in visitor's
 * newest 20; 15 is what fits the 4 KB a partitioned cookie holds (about 210 bytes each, encoded).
 */
export const MAX_STORED_CONVERSATIONS = 15;

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
    // `user` goes unchecked: any value but none hides the conversation until a sign-in, the safe side.
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

/** Keeps the newest {@link MAX_STORED_CONVERSATIONS} of `list` and returns them. */
function write(
  storage: KeyValueStorage | undefined,
  site: string,
  list: StoredConversation[],
): StoredConversation[] {
  const kept = list.slice(0, MAX_STORED_CONVERSATIONS);
  try {
    if (kept.length === 0) storage?.removeItem(keyOf(site));
    else storage?.setItem(keyOf(site), JSON.stringify(kept));
  } catch {
    // Storage full or blocked: the conversations are still shown for this visit.
  }
  return kept;
}

/** Keeps a new conversation (newest first, one entry per token). */
export function rememberConversation(
  storage: KeyValueStorage | undefined,
  site: string,
  entry: StoredConversation,
): StoredConversation[] {
  return write(storage, site, [
    entry,
    ...readConversations(storage, site).filter((c) => c.token !== entry.token),
  ]);
}

/** A conversation as the server lists it for a signed-in visitor (`listConversations`). */
export interface ListedConversation {
  conversationToken: string;
  ticketId: string;
  createdAt: number;
}

/**
 * Takes the conversations the server lists for a signed-in visitor (handed off on any device) as this
 * device's list of theirs, newest first: ones already kept keep their state; new ones have nothing
 * seen yet, so their agent replies count as new; a signed-in visitor's that the server does not list
 * (another user's, on a shared device) are forgotten. Ones handed off here anonymously stay.
 */
export function adoptConversations(
  storage: KeyValueStorage | undefined,
  site: string,
  listed: readonly ListedConversation[],
): StoredConversation[] {
  const known = readConversations(storage, site);
  const list: StoredConversation[] = listed
    .map(({ conversationToken: token, ticketId, createdAt }) => ({
      token,
      ticketId,
      createdAt,
      seen: 0,
      ...known.find((c) => c.token === token),
      user: true as const,
    }))
    .filter(isStored);
  return write(
    storage,
    site,
    [...known.filter((c) => !c.user && !list.some((l) => l.token === c.token)), ...list].sort(
      (a, b) => b.createdAt - a.createdAt,
    ),
  );
}

/**
 * Forgets the signed-in visitor's conversations (sign-out, another user); returns what is left, or
 * `undefined` when there was none to forget.
 */
export function forgetSignedIn(
  storage: KeyValueStorage | undefined,
  site: string,
): StoredConversation[] | undefined {
  const known = readConversations(storage, site);
  const list = known.filter((c) => !c.user);
  return list.length === known.length ? undefined : write(storage, site, list);
}

/** Changes one stored conversation; `undefined` as the patch forgets it (e.g. the server answered 404). */
export function updateConversation(
  storage: KeyValueStorage | undefined,
  site: string,
  token: string,
  patch: Partial<Pick<StoredConversation, 'seen' | 'rated'>> | undefined,
): StoredConversation[] {
  return write(
    storage,
    site,
    readConversations(storage, site).flatMap((c) =>
      c.token !== token ? [c] : patch ? [{ ...c, ...patch }] : [],
    ),
  );
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
