import { Worker } from 'node:worker_threads';
import type { BuiltModel, ModelBuilder } from './knowledge-base.js';

// Same relative path from src/kb/ and dist/kb/.
const buildWorkerUrl = new URL('../../worker/build-model.mjs', import.meta.url);

/** Builds a stored knowledge base and runs its checks in a worker thread, so requests keep being served. */
export const buildInWorker: ModelBuilder = (source) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(buildWorkerUrl, { workerData: { source } });
    let settled = false;
    worker.once('message', (result: BuiltModel) => {
      settled = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`model builder stopped (exit ${code})`));
    });
  });
