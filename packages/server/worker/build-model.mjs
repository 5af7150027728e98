// The build worker of src/kb/create-build-worker.ts: builds knowledge-base models and runs their
// check suites in a thread of its own, so training (seconds of CPU for the demo knowledge base) never
// stalls the HTTP event loop. It stays for the process's life, so the engine, the signal corpus and
// what @lotse/triage keeps of it between builds are loaded once. Plain JavaScript, so that the same
// file runs from the sources (tests) and the build. Receives { id, source } (a KbSource); answers
// { id, ok: true, built: { json, hash, checks: { total, failed } } } or { id, ok: false, message }
// with the builder's message (file, line, field of an invalid knowledge base).
import { parentPort } from 'node:worker_threads';
import { createTriage, parseChecks, runChecks } from '@lotse/triage';
import { buildModelFromSource } from '@lotse/triage/build';

async function build({ config, files, checks }) {
  const { model, json, hash } = await buildModelFromSource({ config, files });
  let total = 0;
  const failed = [];
  if (checks !== null) {
    const results = runChecks(createTriage(model), parseChecks(checks, 'checks.jsonl'));
    total = results.length;
    for (const { check, failures } of results) {
      if (failures.length > 0) {
        failed.push({ id: check.id, locale: check.locale, question: check.question, failures });
      }
    }
  }
  return { json, hash, checks: { total, failed } };
}

// One build at a time, in order: two at once would only share the thread and both finish later.
let queue = Promise.resolve();
parentPort?.on('message', ({ id, source }) => {
  queue = queue.then(async () => {
    try {
      parentPort?.postMessage({ id, ok: true, built: await build(source) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({ id, ok: false, message });
    }
  });
});
