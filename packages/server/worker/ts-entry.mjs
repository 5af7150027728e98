// Starts a worker thread written in TypeScript when the server runs from its sources (tests, the
// bench): registers tsx in this thread, then imports `workerData.entry`. The build runs the compiled
// entry directly. Plain JavaScript, because it runs before any TypeScript loader.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
