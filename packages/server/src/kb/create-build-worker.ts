import { Worker } from 'node:worker_threads';
import type { BuiltModel, ModelBuilder } from './knowledge-base.js';

// Same relative path from src/kb/ and dist/kb/.
const buildWorkerUrl = new URL('../../worker/build-model.mjs', import.meta.url);

/** A build as the worker answers it: the model, or the builder's message (file, line, field). */
export type BuildReply =
  | { id: number; ok: true; built: BuiltModel }
  | { id: number; ok: false; message: string };

interface PendingBuild {
  resolve(built: BuiltModel): void;
  reject(error: Error): void;
}

/** One long-lived worker thread that builds knowledge bases and runs their checks. */
export interface BuildWorker {
  /** Builds off the event loop; starts the thread at the first build and after a crash. */
  build: ModelBuilder;
  /** Stops the thread; builds still running fail. */
  close(): Promise<void>;
}

/**
 * Creates the build worker of a server process (worker/build-model.mjs, which trains the signal
 * model in a second thread of its own meanwhile). Threads that stay, rather than new ones per
 * build, keep what the next build reuses: the loaded engine and the signal corpus with its
 * features and corpus-only models.
 *
 * @example
 * const builder = createBuildWorker();
 * const { json, checks } = await builder.build(source);
 * await builder.close();
 */
export function createBuildWorker(): BuildWorker {
  let current: { worker: Worker; pending: Map<number, PendingBuild> } | undefined;
  let nextId = 1;

  const start = () => {
    const worker = new Worker(buildWorkerUrl);
    const pending = new Map<number, PendingBuild>();
    const started = { worker, pending };
    const stop = (error: Error) => {
      if (current === started) current = undefined;
      for (const build of pending.values()) build.reject(error);
      pending.clear();
    };
    worker.on('message', (reply: BuildReply) => {
      const build = pending.get(reply.id);
      pending.delete(reply.id);
      // An idle worker must not keep the process (a CLI command, a test) alive.
      if (pending.size === 0) worker.unref();
      if (reply.ok) build?.resolve(reply.built);
      else build?.reject(new Error(reply.message));
    });
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`model builder stopped (exit ${code})`)));
    return started;
  };

  return {
    build(source) {
      current ??= start();
      const { worker, pending } = current;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, source });
      });
    },
    async close() {
      const worker = current?.worker;
      current = undefined;
      await worker?.terminate();
    },
  };
}
