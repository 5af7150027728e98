// Triage benchmark: CLINC150 through the same code as `lotse-triage eval`, printed as a markdown
// table beside the published anchors. Run from the repo root with `pnpm bench:triage`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EvalReport, evaluateFiles } from '../src/cli/eval.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets', 'clinc150');

type Pairs = [string, string][];
type Split = Record<'train' | 'val' | 'test' | 'oos_train' | 'oos_val' | 'oos_test', Pairs>;

/** Writes `[text, intent]` pairs as DESIGN.md's JSONL (`{"text","label"}`, oos labelled `oos`). */
function writeJsonl(file: string, pairs: Pairs): string {
  writeFileSync(
    file,
    `${pairs.map(([text, label]) => JSON.stringify({ text, label })).join('\n')}\n`,
  );
  return file;
}

interface Row {
  name: string;
  report: EvalReport;
}

const only = process.argv.slice(2);
const variants: { name: string; file: string; valid: boolean; oosTrain: boolean }[] = [
  { name: 'CLINC150 full', file: 'data_full.json', valid: true, oosTrain: true },
  { name: 'CLINC150 small', file: 'data_small.json', valid: true, oosTrain: true },
  { name: 'CLINC150 imbalanced', file: 'data_imbalanced.json', valid: true, oosTrain: true },
  {
    name: 'CLINC150 full, no valid, no oos in train',
    file: 'data_full.json',
    valid: false,
    oosTrain: false,
  },
];

if (!existsSync(path.join(datasets, 'data_full.json'))) {
  console.error(`CLINC150 not found in ${datasets}; see ../shared/datasets/README.md.`);
  process.exit(1);
}
const dir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-'));
const rows: Row[] = [];
try {
  for (const v of variants) {
    if (only.length > 0 && !only.some((o) => v.name.toLowerCase().includes(o))) continue;
    const data = JSON.parse(readFileSync(path.join(datasets, v.file), 'utf8')) as Split;
    const base = path.join(dir, v.file.replace('.json', ''));
    const train = writeJsonl(`${base}-train${v.oosTrain ? '' : '-no-oos'}.jsonl`, [
      ...data.train,
      ...(v.oosTrain ? data.oos_train : []),
    ]);
    const valid = writeJsonl(`${base}-valid.jsonl`, [...data.val, ...data.oos_val]);
    const test = writeJsonl(`${base}-test.jsonl`, [...data.test, ...data.oos_test]);
    console.error(`Running ${v.name} …`);
    const report = await evaluateFiles({
      train,
      test,
      ...(v.valid ? { valid } : {}),
      lang: 'en',
      onProgress: (m) => console.error(`  ${m}`),
    });
    console.error(JSON.stringify(report));
    rows.push({ name: v.name, report });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Larson et al. 2019 (EMNLP), Table 2, threshold tuned on validation; NLP.js measured here.
const anchors: [string, number, number, string][] = [
  ['FastText', 88.6, 28.3, ''],
  ['SVM', 88.2, 18.0, ''],
  ['DialogFlow', 90.8, 26.7, ''],
  ['Rasa', 90.9, 31.2, ''],
  ['MLP on USE', 93.4, 49.1, ''],
  ['BERT-large', 96.2, 52.3, ''],
  ['NLP.js (measured here)', 84.5, 16.3, '7 MB model'],
];
const pct = (x: number | null) => (x === null ? '–' : (x * 100).toFixed(1));
const lines = [
  '| system | in-scope accuracy % | oos recall % | oos precision % | macro F1 % | model | training | decision median / p99 |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    ({ name, report: r }) =>
      `| **Lotse** — ${name} | ${pct(r.inScopeAccuracy)} | ${pct(r.oosRecall)} | ${pct(r.oosPrecision)} | ${pct(r.macroF1)} | ${(r.modelBytes / 1e6).toFixed(2)} MB | ${(r.trainMs / 1000).toFixed(1)} s | ${r.queryMsMedian} / ${r.queryMsP99} ms |`,
  ),
  ...anchors.map(
    ([name, acc, rec, note]) => `| ${name} (CLINC150 full) | ${acc} | ${rec} | | | ${note} | | |`,
  ),
];
console.log(lines.join('\n'));
