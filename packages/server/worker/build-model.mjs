// Builds one knowledge-base model and runs its check suite in a worker thread for src/kb/, so
// training (seconds of CPU for the demo knowledge base) never stalls the HTTP event loop. Plain
// JavaScript so that the same file runs from the sources (tests) and the build. Receives a KbSource,
// posts { json, hash, checks: { total, failed } }; a failure is thrown and reaches the parent as the
// worker's 'error' event with the builder's message.
import { parentPort, workerData } from 'node:worker_threads';
import { createTriage, parseChecks, runChecks } from '@lotse/triage';
import { buildModelFromSource } from '@lotse/triage/build';

const { config, files, checks } = workerData.source;
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
parentPort?.postMessage({ json, hash, checks: { total, failed } });
