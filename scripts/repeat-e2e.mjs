#!/usr/bin/env node
// Runs the e2e project N times in a row (default 5) and stops at the first failing run, so a flaky
// browser test shows itself before CI does: `pnpm test:e2e:repeat 5` (after `pnpm build`).
// Extra arguments go to vitest, e.g. `pnpm test:e2e:repeat 3 host-hardening`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [countArg = '5', ...vitestArgs] = process.argv.slice(2);
const runs = Number(countArg);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test:e2e:repeat: the run count must be a whole number ≥ 1, got "${countArg}".`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  console.log(`\n=== e2e run ${run} of ${runs} ===`);
  const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e', ...vitestArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(
      `\n=== e2e run ${run} of ${runs} FAILED (exit ${result.status ?? result.signal}, ${seconds} s) ===`,
    );
    process.exit(1);
  }
  console.log(`=== e2e run ${run} of ${runs} passed (${seconds} s) ===`);
}
console.log(`\n=== all ${runs} e2e runs passed ===`);
