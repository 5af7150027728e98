// Asking a store's worker thread (the SQLite writer and readers, the PostgreSQL derivation) and
// waiting for its answer: requests carry an id, replies name it, an `error` reply rejects. The thread starts on the
// first request, so a store that never needs it never starts one.
import { Worker } from 'node:worker_threads';

// From the sources (tests, bench) a TypeScript entry starts through tsx; the build runs the .js.
const fromSources = import.meta.url.endsWith('.ts');
// Same relative path from src/store/ and dist/store/.
const tsEntryUrl = new URL('../../worker/ts-entry.mjs', import.meta.url);

/** A request without the id it is answered by. */
export type Ask<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/** A started-on-demand worker thread of a store. */
export interface WorkerClient<Request extends { id: number }, Reply extends { id: number }> {
  ask(request: Ask<Request>): Promise<Exclude<Reply, { error: string }>>;
  /** Starts the thread unless it runs (for a thread that works on its own, between requests). */
  start(): void;
  /** Whether the thread is started (it starts on the first request after it ended). */
  running(): boolean;
  /** Sends `close` (the thread finishes its work and answers), then ends the thread. */
  close(): Promise<void>;
}

/** The entry of the store's thread `name`: `name.ts` from the sources, `name.js` in the build. */
export function storeThread(name: string): URL {
  return new URL(`./${name}.${fromSources ? 'ts' : 'js'}`, import.meta.url);
}

/**
 * A client of the worker thread at `entry` (see {@link storeThread}; a plain JavaScript file runs as
 * it is), started with `data` as its `workerData`.
 */
export function createWorkerClient<
  Request extends { id: number },
  Reply extends { id: number } | { id: number; error: string },
>(entry: URL, label: string, data: object): WorkerClient<Request, Reply> {
  type Done = Exclude<Reply, { error: string }>;
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: Done) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    worker = undefined;
  };
  const start = (): Worker => {
    const w = entry.pathname.endsWith('.ts')
      ? new Worker(tsEntryUrl, { workerData: { ...data, entry: entry.href } })
      : new Worker(entry, { workerData: data });
    w.on('message', (reply: Reply) => {
      const pending = waiting.get(reply.id);
      if (pending === undefined) return;
      waiting.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`[lotse] ${label} failed: ${reply.error}`));
      else pending.resolve(reply as Done);
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => {
      if (waiting.size > 0) failAll(new Error(`[lotse] ${label} stopped (exit ${code})`));
      worker = undefined;
    });
    return w;
  };
  const send = (request: object, w: Worker) =>
    new Promise<Done>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      w.postMessage({ ...request, id });
    });
  return {
    ask(request) {
      worker ??= start();
      return send(request, worker);
    },
    start() {
      worker ??= start();
    },
    running: () => worker !== undefined,
    async close() {
      const w = worker;
      if (w === undefined) return;
      try {
        await send({ close: true }, w);
      } finally {
        await w.terminate();
        worker = undefined;
      }
    },
  };
}

/** An error as a thread sends it back to the store (the client rejects with it). */
export function errorText(error: unknown): string {
  return String((error as Error)?.message ?? error);
}
