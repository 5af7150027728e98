// The SQLite writer thread of sqlite-store.ts: the one connection that writes events and derives the
// dashboard's conversations from them, so neither a commit's WAL sync nor a derivation ever holds the
// HTTP event loop, and derivation never races the inserts it reads. Inserts commit in groups
// (group-commit.ts); derivation runs in chunks between those transactions.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createDeriveTx } from './derive-queries.js';
import {
  type DeriveReply,
  type DeriveRequest,
  deriveChunk,
  type EventMark,
  type SessionKey,
  serveDerivations,
} from './derive-sessions.js';
import { prepareSqliteConnection, sqliteDialect } from './dialect.js';
import { createGroupCommit } from './group-commit.js';
import { before } from './session-fold.js';
import { sqliteKysely, WAL_CHECKPOINT_PAGES } from './sqlite-store.js';
import type { EventRow } from './store.js';

/** Message from the store to its writer thread: a batch to store, or derivation. */
export type WriterRequest = InsertRequest | DeriveRequest;
type InsertRequest = { id: number; rows: readonly EventRow[] };

/** Message from the writer thread to the store. */
export type WriterReply = { id: number; accepted: number; overCap: number[] } | DeriveReply;

/** What the store starts the thread with. */
export interface WriterData {
  file: string;
  synchronous: 'full' | 'normal';
  maxSessionEvents: number;
}

const port = parentPort;
if (port === null) throw new Error('[lotse] sqlite-writer-thread must run as a worker thread');
const { file, synchronous, maxSessionEvents } = workerData as WriterData;

const db = new Database(file);
const fullSync = synchronous === 'normal' ? 'NORMAL' : 'FULL';
db.pragma(`synchronous = ${fullSync}`);
db.pragma('busy_timeout = 5000');
db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
prepareSqliteConnection(db);
const insert = db.prepare(
  `insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash)
   values (@id, @siteKey, @type, @ts, @receivedAt, @sessionId, @anonymousId, @conversationId, @userId, @props, @clientHash)
   on conflict (id) do nothing`,
);
const stored = db.prepare('select 1 from events where id = ?').pluck();
const sizeOf = db
  .prepare('select events from session_sizes where site_key = ? and session_id = ?')
  .pluck();
const addSize = db.prepare(
  `insert into session_sizes (site_key, session_id, events) values (?, ?, ?)
   on conflict (site_key, session_id) do update set events = events + excluded.events`,
);
// The session must be derived again from its earliest new event on (derive-sessions.ts); written
// in the same transaction as the events, so no stored event is ever missed by the dashboard.
const markDirty = db.prepare(
  'insert into derive_marks (site_key, session_id, low_ts, low_id) values (?, ?, ?, ?)',
);

/** A session the group adds to: its stored size, what the group added, its earliest new event. */
type Added = SessionKey & { size: number; added: number; low: EventMark | undefined };

const insertGroup = db.transaction((batches: (readonly EventRow[])[]) => {
  const sessions = new Map<string, Added>();
  const results = batches.map((rows) => {
    let accepted = 0;
    const overCap: number[] = [];
    for (const [i, e] of rows.entries()) {
      const key = `${e.siteKey}\u0000${e.sessionId}`;
      let s = sessions.get(key);
      if (s === undefined) {
        const size = Number(sizeOf.get(e.siteKey, e.sessionId) ?? 0);
        s = { siteKey: e.siteKey, sessionId: e.sessionId, size, added: 0, low: undefined };
        sessions.set(key, s);
      }
      if (s.size >= maxSessionEvents) {
        // A full session stores nothing more; an event stored before is still a duplicate.
        if (stored.get(e.id) === undefined) overCap.push(i);
        continue;
      }
      if (insert.run({ ...e, props: JSON.stringify(e.props) }).changes === 0) continue;
      accepted++;
      s.size++;
      s.added++;
      if (s.low === undefined || before(e, s.low)) s.low = { ts: e.ts, id: e.id };
    }
    return { accepted, overCap };
  });
  for (const s of sessions.values()) {
    if (s.low === undefined) continue;
    addSize.run(s.siteKey, s.sessionId, s.added);
    markDirty.run(s.siteKey, s.sessionId, s.low.ts, s.low.id);
  }
  return results;
});

// Immediate: the group reads session sizes before it writes, and a deferred transaction whose
// snapshot another connection's commit made stale cannot take the write lock (SQLITE_BUSY without
// waiting); taking it first lets busy_timeout wait instead.
const inserts = createGroupCommit<InsertRequest, { accepted: number; overCap: number[] }>(
  (group) => insertGroup.immediate(group.map((p) => p.rows)),
  (id, reply) => port.postMessage({ id, ...reply }),
);

const deriveTx = createDeriveTx(sqliteKysely(db), sqliteDialect);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// A chunk holds this thread, and the inserts queued behind it: about 1 000 events, which a session
// share of at least 16 (derive-sessions.ts) reaches at 60 sessions. 200 sessions took about 65 ms
// and set the ingest p99.
const CHUNK_EVENTS = 1000;
const CHUNK_SESSIONS = 60;

const derivations = serveDerivations(
  port,
  async (sites, maxSessions) => {
    // Inserts that queued up meanwhile commit before the chunk.
    await nextTurn();
    // Without a WAL sync of its own: the next insert's commit syncs it. A power loss can only lose
    // whole transactions from the end of the WAL, and a lost chunk leaves its sessions marked.
    db.pragma('synchronous = NORMAL');
    db.exec('begin immediate');
    try {
      // Every query inside resolves within this turn (better-sqlite3 is synchronous): no insert
      // interleaves.
      const r = await deriveChunk(deriveTx, {
        sites,
        sessions: Math.min(CHUNK_SESSIONS, maxSessions),
        events: CHUNK_EVENTS,
      });
      db.exec('commit');
      return r;
    } catch (error) {
      db.exec('rollback');
      throw error;
    } finally {
      db.pragma(`synchronous = ${fullSync}`);
    }
  },
  () => {
    inserts.flush();
    db.close();
  },
);

port.on('message', (message: WriterRequest) => {
  if (!derivations.handle(message)) inserts.add(message as InsertRequest);
});
