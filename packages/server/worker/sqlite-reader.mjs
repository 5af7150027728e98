// Worker thread that runs the dashboard's aggregate queries (src/dashboard/summary-queries.ts) for
// src/store/sqlite-store.ts on its own read connection, so the HTTP event loop never waits for
// them. Plain JavaScript so that the same file runs from the sources (tests) and the build.
// Request: { id, queries: [{ text, params }] }; reply: { id, rows: unknown[][][] } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port === null) throw new Error('sqlite-reader must run as a worker thread');
const db = new Database(workerData.file, { readonly: true });
db.pragma('busy_timeout = 5000');

port.on('message', (message) => {
  if (message.close === true) {
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
