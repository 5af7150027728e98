import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { buildModel, buildModelFromSource, readKnowledgeBase, readTriageModel } from '../build.js';
import { CheckSuiteError, formatCheckReport, parseChecks, runChecks } from '../checks/index.js';
import { createTriage, type Decision } from '../decide/index.js';
import { answerToPlainText, compileKnowledgeBase, KnowledgeBaseError } from '../kb/index.js';
import { ModelError } from '../model/index.js';
import { isLang, type Lang } from '../text/index.js';
import { runEval } from './eval.js';

/** Where the CLI writes; tests pass their own streams. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const usage = `Usage:
  lotse-triage build <kb-dir> -o <model.json>
  lotse-triage eval --train A.jsonl --test B.jsonl [--valid C.jsonl] [--lang en|de] [--turn-away 0.02] [--json]
  lotse-triage ask <kb-dir|model.json> [--lang de|en] [question …]
  lotse-triage check <kb-dir> [--checks checks.jsonl]
`;

/** Runs the `lotse-triage` command line and resolves with its exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'build':
        return await runBuild(rest, io);
      case 'eval':
        return await runEval(rest, io);
      case 'ask':
        return await runAsk(rest, io);
      case 'check':
        return await runCheck(rest, io);
      case undefined:
      case '--help':
      case '-h':
        io.stdout.write(usage);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`lotse-triage: unknown command "${command}".\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`lotse-triage ${command}: ${error.message}\n${usage}`);
      return 2;
    }
    if (
      error instanceof KnowledgeBaseError ||
      error instanceof ModelError ||
      error instanceof CheckSuiteError
    ) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** A wrong argument of a subcommand: exit 2 with this message and the usage. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `parseArgs` throws these for an unknown option, a missing value, an unexpected argument. */
function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}

/** Refuses positionals beyond those a subcommand takes, e.g. a suite given without `--checks`. */
function refuseExtra(positionals: readonly string[], takes: number): void {
  const extra = positionals[takes];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}".`);
}

async function runBuild(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' } },
  });
  refuseExtra(positionals, 1);
  const [kbDir] = positionals;
  if (!kbDir || !values.output) {
    io.stderr.write(
      `lotse-triage build: give a knowledge-base folder and -o <model.json>.\n${usage}`,
    );
    return 2;
  }
  const progress = io.stderr.isTTY
    ? (message: string) => io.stderr.write(`${message}\n`)
    : undefined;
  const started = performance.now();
  const built = await buildModel(kbDir, progress ? { onProgress: progress } : {});
  await writeFile(values.output, built.json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(
    `Built ${values.output}: ${built.model.entries.length} entries, ${built.json.length} bytes, kb ${built.hash.slice(0, 12)}, ${seconds} s.\n`,
  );
  return 0;
}

async function runAsk(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { lang: { type: 'string' } },
  });
  const [source, ...words] = positionals;
  if (!source) {
    io.stderr.write(`lotse-triage ask: give a knowledge-base folder or a model file.\n${usage}`);
    return 2;
  }
  const locale = values.lang;
  if (locale !== undefined && !isLang(locale)) {
    io.stderr.write(`lotse-triage ask: --lang must be "de" or "en" (got "${locale}").\n`);
    return 2;
  }
  const model = source.endsWith('.json')
    ? await readTriageModel(source)
    : (await buildModel(source)).model;
  const triage = createTriage(model);
  const options = locale ? { locale } : {};

  if (words.length > 0) {
    io.stdout.write(formatDecision(triage.decide(words.join(' '), options)));
    return 0;
  }
  io.stdout.write(
    `${triage.model.title(locale ?? triage.model.defaultLocale)} — ${triage.model.entries.length} entries. Type a question (German or English), or an empty line to quit.\n`,
  );
  const lines = createInterface({ input: io.stdin, output: io.stdout, terminal: false });
  io.stdout.write('> ');
  for await (const line of lines) {
    if (line.trim() === '') break;
    io.stdout.write(`${formatDecision(triage.decide(line, options))}> `);
  }
  lines.close();
  return 0;
}

/**
 * Builds the knowledge base and runs its mystery checks (`checks.jsonl` beside the entries, or
 * `--checks`): exit 0 when all pass, 1 with a table of the failures, 2 for bad input.
 */
async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { checks: { type: 'string' } },
  });
  refuseExtra(positionals, 1);
  const [kbDir] = positionals;
  if (!kbDir) {
    io.stderr.write(`lotse-triage check: give a knowledge-base folder.\n${usage}`);
    return 2;
  }
  const file = values.checks ?? path.join(kbDir, 'checks.jsonl');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    io.stderr.write(
      `lotse-triage check: cannot read the check suite ${file}. Write one there or name it with --checks.\n`,
    );
    return 2;
  }
  // The suite is checked against the knowledge base before the (slow) build, so that a misspelt
  // entry or topic is an error of the suite, not a failing check that looks like a regression.
  const source = await readKnowledgeBase(kbDir);
  const checks = parseChecks(text, file, { knowledgeBase: compileKnowledgeBase(source) });
  const { model } = await buildModelFromSource(source, {}, kbDir);
  const results = runChecks(createTriage(model), checks);
  io.stdout.write(formatCheckReport(results));
  return results.every((r) => r.failures.length === 0) ? 0 : 1;
}

// Headings of the decision's body, which is in the decision's language like the titles, answers
// and reasons under them; the first line holds codes (kind, topic id, signals) in every language.
const labels: Record<Lang, Record<'suggest' | 'other', string>> = {
  de: { suggest: 'Meinten Sie', other: 'Auch passend' },
  en: { suggest: 'Did you mean', other: 'Also' },
};

/** Shows a decision the way an agent would want to read it in a terminal. */
export function formatDecision(decision: Decision): string {
  const lines = [
    `${decision.kind.toUpperCase()}  level ${decision.level}${decision.topic ? `  topic ${decision.topic}` : ''}  confidence ${decision.confidence.toFixed(2)}  [${decision.locale}]${decision.signals.length > 0 ? `  signals: ${decision.signals.join(', ')}` : ''}`,
  ];
  if (decision.entry) {
    lines.push(`  ${decision.entry.title}`);
    for (const line of answerToPlainText(decision.entry.answer).split('\n'))
      lines.push(`    ${line}`);
  }
  if (decision.alternatives.length > 0) {
    lines.push(`  ${labels[decision.locale][decision.kind === 'suggest' ? 'suggest' : 'other']}:`);
    for (const alt of decision.alternatives)
      lines.push(`    - ${alt.title} (${alt.score.toFixed(2)})`);
  }
  for (const reason of decision.reasons) lines.push(`  · ${reason}`);
  return `${lines.join('\n')}\n`;
}
