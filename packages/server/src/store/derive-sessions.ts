// Incremental derivation of the dashboard's stored conversations, written once for both stores:
// each store supplies a DeriveTx (batched reads and writes inside one transaction); this file
// decides what to read, folds the new events into each session's running summary
// (session-fold.ts) and keeps FCR's second contacts (derived-rows.ts) up to date for what changed.
import type { MessagePort } from 'node:worker_threads';
import type { BusinessHours } from '@lotse/sdk/metrics';
import type { NextContactChange } from './derived-rows.js';
import { nextContactChanges } from './derived-rows.js';
import type { Row } from './rows.js';
import {
  before,
  EMPTY_FOLD,
  type FoldResult,
  type FoldState,
  foldEvents,
  foldNeeds,
} from './session-fold.js';
import type { DeriveDirtyRequest, EventRow, StoredConversation } from './store.js';
import { errorText } from './worker-client.js';

/** One session of one site. */
export interface SessionKey {
  siteKey: string;
  sessionId: string;
}

/** A position in a session's (ts, id) order. */
export interface EventMark {
  ts: number;
  id: string;
}

/** A dirty mark taken by a derivation: the earliest event stored since, or null (derive it all). */
export interface ClaimedSession extends SessionKey {
  low: EventMark | null;
}

/**
 * A contact's conversations on one topic, level and channel: what FCR's second contacts are matched
 * on, also by topic alone, topic and level, and topic and channel (see `NEXT_CONTACT_COLUMNS` in
 * dashboard/summary-queries.ts).
 */
export interface ContactGroup {
  contact: string;
  topic: string | null;
  level: number | null;
  channel: string;
  /** Starts strictly before this count. */
  before: number;
}

/** The reads and writes of a derivation, batched, inside one transaction of one store. */
export interface DeriveTx {
  /** Takes (deletes) up to `limit` dirty marks of these sites. */
  claim(limit: number, sites: readonly string[]): Promise<ClaimedSession[]>;
  states(keys: readonly SessionKey[]): Promise<(FoldState | undefined)[]>;
  /** Deletes the sessions' conversations, facts, links and states; returns the conversations. */
  clear(keys: readonly SessionKey[]): Promise<StoredConversation[]>;
  /** Up to `limit` events of each session after `after` (all when null), by (ts, id). */
  events(
    requests: readonly { key: SessionKey; after: EventMark | null }[],
    limit: number,
  ): Promise<EventRow[][]>;
  /** The stored links (`c:<id>`, `t:<ticket>` → seq) of each session among `keys`. */
  links(
    requests: readonly { key: SessionKey; keys: readonly string[] }[],
  ): Promise<Map<string, number>[]>;
  /** Stored conversations of each session: the seqs listed and every seq from `from` on. */
  conversations(
    requests: readonly { key: SessionKey; seqs: readonly number[]; from: number | null }[],
  ): Promise<StoredConversation[][]>;
  /** Upserts the folds' conversations (keeping their second contacts), links, facts and states. */
  write(results: readonly { key: SessionKey; fold: FoldResult }[]): Promise<void>;
  /** Marks sessions dirty again from `low` on (merged with marks stored meanwhile). */
  mark(requests: readonly { key: SessionKey; low: EventMark }[]): Promise<void>;
  /**
   * Per group: the earliest of the latest starts before `before` in the four groupings it belongs
   * to (by topic; topic and level; topic and channel; all three), or null when none has one.
   */
  previousStarts(siteKey: string, groups: readonly ContactGroup[]): Promise<(number | null)[]>;
  /** Rows of `NEXT_CONTACT_COLUMNS`: the contacts' conversations on these topics from `from` on. */
  contactRows(
    siteKey: string,
    requests: readonly { contact: string; from: number; topics: readonly (string | null)[] }[],
  ): Promise<Row[]>;
  setNext(siteKey: string, changes: readonly NextContactChange[]): Promise<void>;
}

/** Options of {@link deriveChunk}. */
export interface DeriveChunkOptions {
  /** The sites whose sessions to derive, with their business hours. */
  sites: ReadonlyMap<string, BusinessHours | undefined>;
  /** Sessions taken per chunk. */
  sessions: number;
  /** Events folded per chunk at most (a session with more continues in the next chunk). */
  events: number;
}

/** Result of {@link deriveChunk}. */
export interface DeriveChunkResult {
  /** Sessions whose marks were taken (0: nothing was dirty). */
  sessions: number;
  /** Of those, sessions with more events than the chunk took: marked again, they continue. */
  continued: number;
  events: number;
}

/**
 * Derives one chunk: takes dirty marks, folds each session's new events into its running summary
 * (from scratch when an event came before what was folded, or events were deleted), writes the
 * changed conversations and sets the second contacts of the contacts whose conversations changed.
 * Its cost follows the new events and what they touch, not the sessions' sizes.
 */
export async function deriveChunk(
  tx: DeriveTx,
  options: DeriveChunkOptions,
): Promise<DeriveChunkResult> {
  const claimed = await tx.claim(options.sessions, [...options.sites.keys()]);
  if (claimed.length === 0) return { sessions: 0, continued: 0, events: 0 };
  const stored = await tx.states(claimed);
  // From scratch: never folded, marked without a position (deletions, migrations), or an event
  // that sorts before the last one folded (clients choose ts).
  const rewind = claimed.filter((c, i) => {
    const s = stored[i];
    return (
      s === undefined || s.ts === null || c.low === null || !before({ ts: s.ts, id: s.id }, c.low)
    );
  });
  const cleared = rewind.length === 0 ? [] : await tx.clear(rewind);
  const rewound = new Set(rewind);
  const states = claimed.map((c, i) => (rewound.has(c) ? EMPTY_FOLD : stored[i]!));
  const perSession = Math.max(16, Math.floor(options.events / claimed.length));
  const events = await tx.events(
    claimed.map((key, i) => {
      const s = states[i]!;
      return { key, after: s.ts === null ? null : { ts: s.ts, id: s.id } };
    }),
    perSession + 1,
  );
  const batches = events.map((list) => list.slice(0, perSession));
  const needs = claimed.map((_, i) => foldNeeds(states[i]!, batches[i]!));
  const links = await tx.links(claimed.map((key, i) => ({ key, keys: needs[i]!.linkKeys })));
  const conversations = await tx.conversations(
    claimed.map((key, i) => {
      const s = states[i]!;
      return {
        key,
        seqs: [...new Set([...(s.active === null ? [] : [s.active]), ...links[i]!.values()])],
        from: needs[i]!.startRange ? s.startSeq : null,
      };
    }),
  );
  const folds = claimed.map((key, i) =>
    foldEvents({
      siteKey: key.siteKey,
      sessionId: key.sessionId,
      state: states[i]!,
      conversations: new Map(conversations[i]!.map((c) => [c.seq, c])),
      links: links[i]!,
      events: batches[i]!,
      hours: options.sites.get(key.siteKey),
    }),
  );
  await tx.write(claimed.map((key, i) => ({ key, fold: folds[i]! })));
  // A session with more events than its share continues in the next chunk.
  const more = claimed.flatMap((key, i) => {
    const next = events[i]![perSession];
    return next === undefined ? [] : [{ key, low: { ts: next.ts, id: next.id } }];
  });
  if (more.length > 0) await tx.mark(more);

  // FCR's second contacts of the conversations that are new, deleted, or moved to another group.
  const touched: StoredConversation[] = [...cleared];
  for (const [i, fold] of folds.entries()) {
    const had = new Set(conversations[i]!.map((c) => c.seq));
    touched.push(...fold.regrouped);
    const moved = new Set(fold.regrouped.map((c) => c.seq));
    for (const c of fold.conversations) if (!had.has(c.seq) || moved.has(c.seq)) touched.push(c);
  }
  await setSecondContacts(tx, touched);
  return {
    sessions: claimed.length,
    continued: more.length,
    events: batches.reduce((n, b) => n + b.length, 0),
  };
}

/**
 * Sets the stored second contacts again where `touched` (conversations as they were before a
 * change, and as they are after) may have changed them: for each contact, every conversation from
 * the latest one before the earliest change in any group the change involves.
 */
async function setSecondContacts(
  tx: DeriveTx,
  touched: readonly StoredConversation[],
): Promise<void> {
  const bySite = new Map<string, Map<string, StoredConversation[]>>();
  for (const c of touched) {
    let site = bySite.get(c.siteKey);
    if (site === undefined) {
      site = new Map();
      bySite.set(c.siteKey, site);
    }
    const list = site.get(c.contact);
    if (list === undefined) site.set(c.contact, [c]);
    else list.push(c);
  }
  for (const [siteKey, contacts] of bySite) {
    const groups: ContactGroup[] = [];
    const owners: string[] = [];
    const plans = new Map<string, { from: number; topics: Set<string | null> }>();
    for (const [contact, cs] of contacts) {
      const m = Math.min(...cs.map((c) => c.startedAt));
      plans.set(contact, { from: m, topics: new Set(cs.map((c) => c.topic)) });
      const seen = new Set<string>();
      for (const c of cs) {
        const key = JSON.stringify([c.topic, c.level, c.channel]);
        if (seen.has(key)) continue;
        seen.add(key);
        groups.push({ contact, topic: c.topic, level: c.level, channel: c.channel, before: m });
        owners.push(contact);
      }
    }
    const previous = await tx.previousStarts(siteKey, groups);
    for (const [i, at] of previous.entries()) {
      const plan = plans.get(owners[i]!)!;
      if (at !== null && at < plan.from) plan.from = at;
    }
    const rows = await tx.contactRows(
      siteKey,
      [...plans].map(([contact, p]) => ({ contact, from: p.from, topics: [...p.topics] })),
    );
    const changes = nextContactChanges(rows);
    if (changes.length > 0) await tx.setNext(siteKey, changes);
  }
}

/** A request to a store's deriving thread (SQLite's writer, PostgreSQL's derivation thread). */
export type DeriveRequest =
  | { id: number; derive: { sites: [string, BusinessHours | null][]; maxSessions: number } }
  | { id: number; close: true };

/** The deriving thread's answer: sessions finished, and whether none was left. */
export type DeriveReply =
  | { id: number; derived: number; idle: boolean }
  | { id: number; error: string };

/**
 * A store's `deriveDirty` over its deriving thread (`ask`): a hundred sessions per request, so that
 * a stopped run ends between them.
 */
export async function deriveInThread(
  ask: (request: Omit<Extract<DeriveRequest, { derive: unknown }>, 'id'>) => Promise<unknown>,
  request: DeriveDirtyRequest,
): Promise<number> {
  const sites: [string, BusinessHours | null][] = [...request.sites].map(([k, h]) => [
    k,
    h ?? null,
  ]);
  let done = 0;
  while (done < request.maxSessions && request.stopped?.() !== true) {
    const maxSessions = Math.min(100, request.maxSessions - done);
    const reply = (await ask({ derive: { sites, maxSessions } })) as {
      derived: number;
      idle: boolean;
    };
    done += reply.derived;
    if (reply.idle) break;
  }
  return done;
}

/**
 * The deriving thread's side: answers `derive` requests one at a time, in order, each by deriving
 * chunk by chunk (`chunk` takes at most the sessions it is given and returns undefined when it
 * rolled back, to be tried again) until enough sessions are finished or none is left; answers
 * `close` once the last request has ended and `close` has run. `handle` returns false for other
 * messages.
 */
export function serveDerivations(
  port: MessagePort,
  chunk: (
    sites: ReadonlyMap<string, BusinessHours | undefined>,
    maxSessions: number,
  ) => Promise<DeriveChunkResult | undefined>,
  close: () => unknown,
) {
  let last: Promise<unknown> = Promise.resolve();
  let closing = false;
  const derive = async (sites: [string, BusinessHours | null][], maxSessions: number) => {
    const map = new Map(sites.map(([k, h]) => [k, h ?? undefined]));
    let derived = 0;
    while (!closing && derived < maxSessions) {
      const r = await chunk(map, maxSessions - derived);
      if (r === undefined) continue;
      if (r.sessions === 0) return { derived, idle: true };
      derived += r.sessions - r.continued;
    }
    return { derived, idle: false };
  };
  return {
    handle(message: { id: number }): boolean {
      const m = message as DeriveRequest;
      if ('close' in m) {
        closing = true;
        void last
          .catch(() => {})
          .then(close)
          .then(() => {
            port.postMessage({ id: m.id, derived: 0, idle: true } satisfies DeriveReply);
            port.close();
          });
        return true;
      }
      if (!('derive' in m)) return false;
      last = last
        .catch(() => {})
        .then(() => derive(m.derive.sites, m.derive.maxSessions))
        .then(
          (result) => port.postMessage({ id: m.id, ...result } satisfies DeriveReply),
          (error: unknown) => port.postMessage({ id: m.id, error: errorText(error) }),
        );
      return true;
    },
  };
}
