// Worker thread that runs the dashboard's aggregate queries (src/dashboard/summary-queries.ts) for
// src/store/sqlite-store.ts on its own read connection, so the HTTP event loop never waits for
// them. Plain JavaScript so that the same file runs from the sources (tests) and the build.
// Request: { id, queries: [{ text, params }] }; reply: { id, rows: unknown[][][] } or { id, error }.
// With `workerData.checkpointEveryMs` it also checkpoints the WAL that often, for the writer thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port === null) throw new Error('sqlite-reader must run as a worker thread');
// The checkpointing reader's connection is writable only so that it may checkpoint.
const checkpointing = workerData.checkpointEveryMs !== undefined;
const db = new Database(workerData.file, { readonly: !checkpointing });
if (checkpointing) db.pragma('query_only = true');
db.pragma('busy_timeout = 5000');
// Passive: copies what no reader still needs, never waits for the writer, and syncs the WAL before
// and the database after (WAL mode's default `synchronous`). Should it fail, the connections' own
// checkpoints take over.
const checkpoints = !checkpointing
  ? undefined
  : setInterval(() => {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {}
    }, workerData.checkpointEveryMs);

port.on('message', (message) => {
  if (message.close === true) {
    clearInterval(checkpoints);
    db.close();
    port.postMessage({ id: message.id, rows: [] });
    port.close();
    return;
  }
  try {
    const rows = message.queries.map((q) =>
      db
        .prepare(q.text)
        .raw(true)
        .all(...q.params),
    );
    port.postMessage({ id: message.id, rows });
  } catch (error) {
    port.postMessage({ id: message.id, error: String(error?.message ?? error) });
  }
});
