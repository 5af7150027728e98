// Signal benchmark: the demo shop's model decides the signal corpus's test split and the
// separately written set. Run from the repo root with `npx tsx packages/triage/bench/signals.ts`.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  evaluateSignals,
  readSignalCorpus,
  type SignalEvaluation,
} from '../src/build.js';
import { createTriage } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const started = performance.now();
const { json, model } = await buildModel(path.join(repoRoot, 'examples/kb-shop'));
const buildMs = performance.now() - started;
const triage = createTriage(model);
const corpus = await readSignalCorpus();
const percent = (x: number) => (x * 100).toFixed(1);

function print(name: string, report: SignalEvaluation): void {
  console.log(`\n${name} (${report.n} messages)\n`);
  console.log('| signal | lang | positives | precision | recall |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const s of report.scores) {
    console.log(
      `| ${s.signal} | ${s.lang} | ${s.positives} | ${percent(s.precision)} | ${percent(s.recall)} |`,
    );
  }
  console.log(
    `\ncomplaint recall ${percent(report.complaintRecall)} %, hidden ${percent(report.hiddenComplaintRecall)} %; complaints and wishes for a person handed off ${percent(report.handoffShare)} %; neutral with a signal ${percent(report.neutralFalseAlarms)} %; decision median ${report.decisionMsMedian.toFixed(3)} ms, p99 ${report.decisionMsP99.toFixed(3)} ms`,
  );
}

console.log(
  `Demo shop model: ${(json.length / 1024).toFixed(0)} KB raw, signals ${(JSON.stringify(model.signals).length / 1024).toFixed(0)} KB, built in ${(buildMs / 1000).toFixed(1)} s; trained on ${corpus.train.length} messages.`,
);
// Warm up once so the first set does not pay for compilation.
evaluateSignals(corpus.test, triage);
print('Test split (a fifth of train/, never trained on)', evaluateSignals(corpus.test, triage));
print('Separately written set', evaluateSignals(corpus.separate, triage));

// The signal model's own share of a decision, and how loaded the machine was while timing.
const times = corpus.separate.map(({ text }) => {
  const start = performance.now();
  triage.model.signals.detect(text);
  return performance.now() - start;
});
times.sort((a, b) => a - b);
console.log(
  `\nsignal detection alone: median ${times[Math.floor(times.length / 2)]!.toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(3)} ms; load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores`,
);
