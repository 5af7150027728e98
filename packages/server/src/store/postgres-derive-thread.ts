// The PostgreSQL store's derivation thread: folds the new events of dirty sessions into their
// stored conversations and facts (derive-sessions.ts) on a connection of its own, so that parsing
// and folding never hold the HTTP event loop. Several server instances may derive at once: each
// chunk locks the sessions it takes (`claimable`, dialect.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createDeriveTx } from './derive-queries.js';
import { deriveChunk, serveDerivations } from './derive-sessions.js';
import { postgresDialect } from './dialect.js';
import { createPostgresClient, postgresKysely } from './postgres-client.js';

const port = parentPort;
if (port === null) throw new Error('[lotse] postgres-derive-thread must run as a worker thread');
// Derivation's statements have the same text chunk after chunk: planned once and kept (PostgreSQL's
// default), where the store plans its event insert on every run (postgres-client.ts).
const db = postgresKysely(
  createPostgresClient((workerData as { url: string }).url, 1, { plan_cache_mode: 'auto' }),
);

// No insert waits behind a chunk here (unlike SQLite's writer thread), so a chunk takes up to 100
// sessions and 5 000 events, each session's share at least 16 (derive-sessions.ts): 50 events each
// when 100 are dirty. With 500 events the share was always the floor of 16, and every longer
// session went over two or more chunks, each claiming, reading, writing it and matching its
// second contacts again. CPU (Node and PostgreSQL) per 1 000 events, `BENCH_ONLY=derive pnpm
// bench:server`, two runs each: sessions of 20 events 154–158 → 107–111 ms, of 40 148–163 → 98–103
// ms, of 8 within the noise (129–166 → 120–134 ms).
const CHUNK_SESSIONS = 100;
const CHUNK_EVENTS = 5000;

const derivations = serveDerivations(
  port,
  (sites, maxSessions) =>
    db
      .transaction()
      // The marks a chunk takes and the events it reads come from one snapshot.
      .setIsolationLevel('repeatable read')
      .execute((tx) =>
        deriveChunk(createDeriveTx(tx, postgresDialect), {
          sites,
          sessions: Math.min(CHUNK_SESSIONS, maxSessions),
          events: CHUNK_EVENTS,
        }),
      )
      .catch((error: unknown) => {
        // Another instance changed a contact's rows meanwhile: the chunk rolled back, try again.
        if ((error as { code?: string }).code === '40001') return undefined;
        throw error;
      }),
  () => db.destroy(),
);
port.on('message', (message: { id: number }) => derivations.handle(message));
