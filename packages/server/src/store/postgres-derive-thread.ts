// The PostgreSQL store's derivation thread: folds new events of dirty sessions into their stored
// conversations and facts (derive-sessions.ts) on its own connection, off the HTTP event loop.
// Several instances may derive at once: each chunk locks the sessions it takes (dialect.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createDeriveTx } from './derive-queries.js';
import { deriveChunk, serveDerivations } from './derive-sessions.js';
import { postgresDialect } from './dialect.js';
import { createPostgresClient, postgresKysely } from './postgres-client.js';

const port = parentPort;
if (port === null) throw new Error('[lotse] postgres-derive-thread must run as a worker thread');
const client = createPostgresClient((workerData as { url: string }).url, 1);
const db = postgresKysely(client);

// No insert waits behind a chunk here (unlike SQLite's writer), so a chunk is large: 5 000 events
// cost a third less CPU than 500 in sessions of 20–40 (the server README's derivation table).
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
  () => client.end({ timeout: 5 }), // bounded: see postgres-store.ts close
);
port.on('message', (message: { id: number }) => derivations.handle(message));
