// The PostgreSQL store's derivation thread: folds the new events of dirty sessions into their
// stored conversations and facts (derive-sessions.ts) on a connection of its own, so that parsing
// and folding never hold the HTTP event loop. Several server instances may derive at once: each
// chunk locks the sessions it takes (postgres-derive.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { BusinessHours } from '@lotse/sdk/metrics';
import { deriveChunk } from './derive-sessions.js';
import { createPostgresClient } from './postgres-client.js';
import { createPostgresDeriveTx } from './postgres-derive.js';

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
const sql = createPostgresClient((workerData as DeriveData).url, 1);

let closing = false;
let deriving: Promise<unknown> = Promise.resolve();

/**
 * Derives dirty sessions of these sites chunk by chunk until `maxSessions` are finished or none is
 * left (`idle`).
 */
async function derive(sites: [string, BusinessHours | null][], maxSessions: number) {
  const map = new Map(sites.map(([k, h]) => [k, h ?? undefined]));
  let done = 0;
  while (!closing && done < maxSessions) {
    // Repeatable read: the marks a chunk takes and the events it reads come from one snapshot.
    const r = await sql
      .begin('isolation level repeatable read', (tx) =>
        deriveChunk(createPostgresDeriveTx(tx), {
          sites: map,
          sessions: Math.min(100, maxSessions - done),
          events: 500,
        }),
      )
      .catch((error: unknown) => {
        // Another instance changed a contact's rows meanwhile: the chunk rolled back, try again.
        if ((error as { code?: string }).code === '40001') return undefined;
        throw error;
      });
    if (r === undefined) continue;
    if (r.sessions === 0) return { derived: done, idle: true };
    done += r.sessions - r.continued;
  }
  return { derived: done, idle: false };
}

const messageOf = (error: unknown) => String((error as Error)?.message ?? error);

port.on('message', (message: DeriveRequest) => {
  if ('close' in message) {
    closing = true;
    void deriving.finally(async () => {
      await sql.end({ timeout: 5 });
      port.postMessage({ id: message.id, derived: 0, idle: true } satisfies DeriveReply);
      port.close();
    });
    return;
  }
  const { sites, maxSessions } = message.derive;
  // One derivation at a time: the next waits for the previous one.
  deriving = deriving
    .catch(() => {})
    .then(() => derive(sites, maxSessions))
    .then(
      (result) => port.postMessage({ id: message.id, ...result } satisfies DeriveReply),
      (error: unknown) => port.postMessage({ id: message.id, error: messageOf(error) }),
    );
});
