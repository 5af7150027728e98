// The PostgreSQL store's derivation thread: folds the new events of dirty sessions into their
// stored conversations and facts (derive-sessions.ts) on a connection of its own, so that parsing
// and folding never hold the HTTP event loop. Several server instances may derive at once: each
// chunk locks the sessions it takes (`claimable`, dialect.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { BusinessHours } from '@lotse/sdk/metrics';
import { createDeriveTx } from './derive-queries.js';
import { deriveChunk, deriveInChunks } from './derive-sessions.js';
import { postgresDialect } from './dialect.js';
import { createPostgresClient, postgresKysely } from './postgres-client.js';
import { answerInTurn } from './worker-client.js';

/** Message from the store to its derivation thread. */
export type DeriveRequest =
  | { id: number; derive: { sites: [string, BusinessHours | null][]; maxSessions: number } }
  | { id: number; close: true };

/** Message from the derivation thread to the store. */
export type DeriveReply =
  | { id: number; derived: number; idle: boolean }
  | { id: number; error: string };

/** What the store starts the thread with. */
export interface DeriveData {
  url: string;
}

const port = parentPort;
if (port === null) throw new Error('[lotse] postgres-derive-thread must run as a worker thread');
const db = postgresKysely(createPostgresClient((workerData as DeriveData).url, 1));
const derivations = answerInTurn(port);
let closing = false;

/** Derives dirty sessions of these sites chunk by chunk, each chunk in its own transaction. */
function derive(sites: [string, BusinessHours | null][], maxSessions: number) {
  const map = new Map(sites.map(([k, h]) => [k, h ?? undefined]));
  return deriveInChunks(
    (max) =>
      db
        .transaction()
        // The marks a chunk takes and the events it reads come from one snapshot.
        .setIsolationLevel('repeatable read')
        .execute((tx) =>
          deriveChunk(createDeriveTx(tx, postgresDialect), {
            sites: map,
            sessions: Math.min(100, max),
            events: 500,
          }),
        )
        .catch((error: unknown) => {
          // Another instance changed a contact's rows meanwhile: the chunk rolled back, try again.
          if ((error as { code?: string }).code === '40001') return undefined;
          throw error;
        }),
    maxSessions,
    () => closing,
  );
}

port.on('message', (message: DeriveRequest) => {
  if ('close' in message) {
    closing = true;
    void derivations.idle().then(async () => {
      await db.destroy();
      port.postMessage({ id: message.id, derived: 0, idle: true } satisfies DeriveReply);
      port.close();
    });
    return;
  }
  const { sites, maxSessions } = message.derive;
  derivations.run(message.id, () => derive(sites, maxSessions));
});
