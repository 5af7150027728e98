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
const db = postgresKysely(createPostgresClient((workerData as { url: string }).url, 1));

// No insert waits behind a chunk here (unlike SQLite's writer thread), so a chunk is large: with
// 500 events every longer session went over several chunks, each matching its second contacts
// again (the server README's derivation table: 5 000 cost a third less CPU in sessions of 20–40).
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
