// The build worker of src/kb/create-build-worker.ts: builds knowledge-base models and runs their
// check suites in a thread of its own, so training (seconds of CPU for the demo knowledge base) never
// stalls the HTTP event loop. The signal model trains meanwhile in a second thread
// (train-signals.mjs) when the machine has a second core. Both stay for the process's life, so the
// engine, the signal corpus and what @lotse/triage keeps of it between builds are loaded once. Plain
// JavaScript, so that the same file runs from the sources (tests) and the build. Receives
// { id, source } (a KbSource); answers { id, ok: true, built } (a BuiltModel) or
// { id, ok: false, message } with the builder's message (file, line, field of an invalid
// knowledge base).
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { createTriage, parseChecks, runChecks } from '@lotse/triage';
import { buildModelFromSource } from '@lotse/triage/build';

let signalsThread;
let nextSignalsId = 1;

function startSignalsThread() {
  const worker = new Worker(new URL('./train-signals.mjs', import.meta.url));
  const pending = new Map();
  const thread = { worker, pending };
  const stop = (error) => {
    if (signalsThread === thread) signalsThread = undefined;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (reply) => {
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) call?.resolve(reply);
    else call?.reject(new Error(reply.message));
  });
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`signal model trainer stopped (exit ${code})`)));
  return thread;
}

/** Trains the signal model in the signals thread; resolves to { signals, ms }. */
function trainSignalsInThread(neutral) {
  signalsThread ??= startSignalsThread();
  const { worker, pending } = signalsThread;
  const id = nextSignalsId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, neutral });
  });
}

// On one core a second thread would only take turns with this one.
const parallel = availableParallelism() > 1;

async function build({ config, files, checks }) {
  const started = performance.now();
  let compiled;
  let signalsMs;
  const { model, json, hash } = await buildModelFromSource(
    { config, files },
    {
      // The first message comes once the knowledge base is compiled.
      onProgress: () => {
        compiled ??= performance.now();
      },
      ...(parallel
        ? {
            trainSignals: async (neutral) => {
              const { signals, ms } = await trainSignalsInThread(neutral);
              signalsMs = ms;
              return signals;
            },
          }
        : {}),
    },
  );
  const trained = performance.now();
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
  const compileMs = (compiled ?? trained) - started;
  return {
    json,
    hash,
    checks: { total, failed },
    timings: {
      compile: compileMs,
      training: trained - started - compileMs,
      ...(signalsMs === undefined ? {} : { signals: signalsMs }),
      checks: performance.now() - trained,
    },
  };
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
