// Builds one knowledge-base model in a worker thread for src/server.ts, so training (seconds of CPU
// for the demo knowledge base) never stalls the HTTP event loop. Plain JavaScript so that the same
// file runs from the sources (tests) and the build. Posts { json, hash }; a failure is thrown and
// reaches the parent as the worker's 'error' event with the builder's message.
import { parentPort, workerData } from 'node:worker_threads';
import { buildModel } from '@lotse/triage/build';

const { json, hash } = await buildModel(workerData.dir);
parentPort?.postMessage({ json, hash });
