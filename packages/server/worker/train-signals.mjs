// The signal-model thread of the build worker (build-model.mjs): trains a site's signal model
// while the build worker trains its classifier, on a second core. It stays as long as the build
// worker does, so the corpus and what @lotse/triage keeps of it between builds are loaded once.
// Receives { id, neutral } (the site's messages that are no complaint); answers
// { id, ok: true, signals, ms } or { id, ok: false, message }.
import { parentPort } from 'node:worker_threads';
import { readSignalCorpus, trainSignalModel } from '@lotse/triage/build';

parentPort?.on('message', async ({ id, neutral }) => {
  try {
    const { train } = await readSignalCorpus();
    const started = performance.now();
    const signals = trainSignalModel(train, { neutral });
    parentPort?.postMessage({ id, ok: true, signals, ms: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ id, ok: false, message });
  }
});
