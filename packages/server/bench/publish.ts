// Publishing the demo knowledge base (part of `pnpm bench:server`; alone: `BENCH_ONLY=publish`, or
// `tsx packages/server/bench/publish.ts`): imports `examples/kb-shop` into a fresh SQLite store
// through the knowledge-base service with the server's own worker builder (timed: the first build of
// the process), then times `BENCH_PUBLISH_RUNS` (default 5) publishes of a one-entry change, from
// the call to the swapped model, and prints median, min and max against issue 14's 5 s. The change
// is a sentence more in an answer: every publish trains the whole model anyway, and one example more
// moves a few of the demo's borderline checks (the gate would refuse it). The builder runs the
// built `@lotse/triage`: `pnpm build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBuildWorker } from '../src/kb/create-build-worker.js';
import { textHash } from '../src/kb/kb-source.js';
import { type BuildTimings, createKnowledgeBase } from '../src/kb/knowledge-base.js';
import { createModelRegistry } from '../src/kb/model-registry.js';
import { silentLogger } from '../src/options.js';
import { openStore } from '../src/store/open-store.js';
import { seconds } from './format.js';

const runs = Number(process.env.BENCH_PUBLISH_RUNS ?? 5);
const kbDir = path.resolve(import.meta.dirname, '../../../examples/kb-shop');
const entry = 'entries/shipping/delivery-time.en.md';
// Issue 14: "Publishing the demo knowledge base takes under 5 s on the CI machine".
const targetMs = 5000;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The build's parts as the worker timed them; the signal model trains beside the classifier. */
const split = (t: BuildTimings | undefined) =>
  t === undefined
    ? 'no timings'
    : `compile ${seconds(t.compile)}, classifier${t.signals === undefined ? ' and signals' : ''} ${seconds(t.training)}, ` +
      `${t.signals === undefined ? '' : `signals beside it ${seconds(t.signals)}, `}checks ${seconds(t.checks)}`;

/** Runs the publish bench; returns whether the median publish took under 5 s. */
export async function runPublishBench(): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-publish-'));
  const store = await openStore({ dataDir });
  const models = createModelRegistry({ store, logger: silentLogger });
  const builder = createBuildWorker();
  let timings: BuildTimings | undefined;
  const kb = createKnowledgeBase({
    store,
    models,
    build: async (source) => {
      const built = await builder.build(source);
      timings = built.timings;
      return built;
    },
    logger: silentLogger,
    now: Date.now,
    watch: false,
  });
  try {
    const i0 = performance.now();
    if (!(await kb.importFolder('demo', kbDir))) throw new Error(`cannot import ${kbDir}`);
    const importMs = performance.now() - i0;
    const imported = (await store.listKbVersions('demo'))[0]!;
    const files = (await kb.workingCopy('demo')).source.files.length;
    const load = loadavg().map((l) => l.toFixed(1));
    console.log(
      `publish: examples/kb-shop (${files} entry files, ${imported.checksTotal} checks, ` +
        `${imported.checksFailed.length} failing) imported into a fresh SQLite store in ${seconds(importMs)} ` +
        `(the process's first build: ${split(timings)}); Node ${process.version}, load average ${load.join(' ')}`,
    );
    const times: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const text = (await kb.workingCopy('demo')).source.files.find((f) => f.path === entry)?.text;
      if (text === undefined) throw new Error(`${entry} is missing from the demo`);
      const changed = `${text.trimEnd()} (Bench run ${run}.)\n`;
      await kb.saveDraft('demo', entry, changed, textHash(text), 'bench@example.com');
      const p0 = performance.now();
      const result = await kb.publish('demo', {
        author: 'bench@example.com',
        message: `Bench run ${run}`,
      });
      const ms = performance.now() - p0;
      if (!result.ok) throw new Error(`publish ${run} refused: ${JSON.stringify(result)}`);
      if (models.get('demo')?.version !== result.version.version) {
        throw new Error(`publish ${run}: version ${result.version.version} is not served`);
      }
      times.push(ms);
      console.log(
        `  publish ${run}: ${seconds(ms)} (version ${result.version.version}; ${split(timings)})`,
      );
    }
    const ok = median(times) < targetMs;
    console.log(
      `  publish of a one-entry change, ${runs} runs: median ${seconds(median(times))}, ` +
        `min ${seconds(Math.min(...times))}, max ${seconds(Math.max(...times))}`,
    );
    console.log(`acceptance (publishing the demo knowledge base < 5 s): ${ok ? 'met' : 'NOT met'}`);
    return ok;
  } finally {
    kb.close();
    await kb.settled();
    models.close();
    await builder.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!(await runPublishBench())) process.exitCode = 1;
}
