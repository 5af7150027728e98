// Worker thread that writes events to SQLite for src/store/sqlite-store.ts, so a commit's WAL sync
// never blocks the HTTP event loop. Batches that arrive while a commit runs share the next
// transaction (group commit); each batch is answered only after the transaction holding it has
// committed. Plain JavaScript so that the same file runs from the sources (tests) and the build;
// the message shapes are WriterRequest / WriterReply in src/store/sqlite-store.ts.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port === null) throw new Error('sqlite-writer must run as a worker thread');
const { file, synchronous } = workerData;

const db = new Database(file);
db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  `insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
);
// The session's conversations must be derived again (src/dashboard/pre-aggregate.ts); written in the
// same transaction as the events, so no stored event is ever missed by the dashboard.
const markDirty = db.prepare(
  `insert into derive_dirty (site_key, session_id, gen) values (?, ?, 1)
   on conflict (site_key, session_id) do update set gen = gen + 1`,
);
const insertGroup = db.transaction((batches) =>
  batches.map((rows) => {
    let accepted = 0;
    const dirty = new Map();
    for (const e of rows) {
      const changes = insert.run(
        e.id,
        e.siteKey,
        e.type,
        e.ts,
        e.receivedAt,
        e.sessionId,
        e.anonymousId,
        e.conversationId,
        e.userId,
        JSON.stringify(e.props),
        e.clientHash,
      ).changes;
      accepted += changes;
      if (changes > 0) dirty.set(`${e.siteKey}\u0000${e.sessionId}`, e);
    }
    for (const e of dirty.values()) markDirty.run(e.siteKey, e.sessionId);
    return accepted;
  }),
);

let pending = [];
let scheduled = false;

function flush() {
  scheduled = false;
  const group = pending;
  pending = [];
  if (group.length === 0) return;
  try {
    const accepted = insertGroup(group.map((p) => p.rows));
    for (const [i, p] of group.entries())
      port.postMessage({ id: p.id, accepted: accepted[i] ?? 0 });
  } catch (error) {
    for (const p of group) port.postMessage({ id: p.id, error: String(error?.message ?? error) });
  }
}

port.on('message', (message) => {
  if (message.close === true) {
    flush();
    db.close();
    port.postMessage({ id: message.id, accepted: 0 });
    port.close();
    return;
  }
  pending.push(message);
  if (!scheduled) {
    scheduled = true;
    // Messages that queued up during the last commit are all delivered before this runs.
    setImmediate(flush);
  }
});
