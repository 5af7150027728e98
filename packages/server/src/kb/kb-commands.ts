// `lotse-server kb import|export`: a site's knowledge base between the folder format and the store,
// without a running server. A version stored here is served by every server on the same store at
// its next look for new versions (the model registry's refresh).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileKnowledgeBase, isKnowledgeBaseError, parseChecks } from '@lotse/triage';
import { resolveServerOptions, serverOptionsFromEnv, silentLogger } from '../options.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createBuildWorker } from './create-build-worker.js';
import type { KbVersionInfo } from './kb-queries.js';
import { CHECKS_FILE, type KbSource, readKbFolder, writeKbFolder } from './kb-source.js';
import { createKnowledgeBase, type ModelBuilder } from './knowledge-base.js';
import type { ModelRegistry } from './model-registry.js';

/** The `kb` lines of `lotse-server help`. */
export const kbUsage = `  lotse-server kb import <site> <dir>           store a knowledge-base folder as the site's newest version
                                                (built and checked, no check gate; unchanged: no new version)
  lotse-server kb export <site> <dir> [--version <n>]   write the newest version (or n) into a new folder`;

/** Options of {@link runKbCommand}. */
export interface KbCommandOptions {
  env: NodeJS.ProcessEnv;
  /** The whole command line's usage, printed after a wrong argument. */
  usage: string;
  /** @default process.stdout */
  stdout?: { write(text: string): unknown };
  /** @default process.stderr */
  stderr?: { write(text: string): unknown };
  /** Builds models and runs their checks. @default a build worker of this command */
  build?: ModelBuilder;
}

/** Wrong input: exit 2 with this message, which names the argument; `usage` adds the usage text. */
class BadInput extends Error {
  override readonly name = 'BadInput';
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

// The command stores versions; it serves none. Servers on the same store load them themselves.
const servesNothing: ModelRegistry = { get: () => undefined, refresh: async () => {}, close() {} };

const passRate = (v: KbVersionInfo) =>
  v.checksTotal === 0
    ? 'no checks'
    : `checks: ${v.checksTotal - v.checksFailed.length} of ${v.checksTotal} pass (${(((v.checksTotal - v.checksFailed.length) / v.checksTotal) * 100).toFixed(1)} %)`;

/**
 * Runs `lotse-server kb <import|export> …`; returns the exit code: 0 done, 2 a wrong argument (an
 * unknown site, a missing folder, an invalid knowledge base), 1 a build that failed.
 *
 * @example
 * process.exitCode = await runKbCommand(['import', 'demo', 'examples/kb-shop'], { env, usage });
 */
export async function runKbCommand(args: string[], options: KbCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const [action, ...rest] = args;
  const name = `lotse-server kb ${action ?? ''}`.trimEnd();
  let store: Store | undefined;
  try {
    if (action !== 'import' && action !== 'export') {
      throw new BadInput(
        action === undefined ? 'say import or export' : `unknown action "${action}"`,
        true,
      );
    }
    const { values, positionals } = parseArgs({
      args: rest,
      options: { version: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (action === 'import' && values.version !== undefined) {
      throw new BadInput('--version is for export: an import is always the newest version', true);
    }
    const [siteKey, dir, extra] = positionals;
    if (siteKey === undefined) throw new BadInput('<site> is missing: give the site key', true);
    if (dir === undefined) throw new BadInput('<dir> is missing: give the folder', true);
    if (extra !== undefined) throw new BadInput(`unexpected argument "${extra}"`, true);
    const version = parseVersion(values.version);

    const server = resolveServerOptions({
      ...serverOptionsFromEnv(options.env),
      logger: silentLogger,
    });
    store = await openStore({ databaseUrl: server.databaseUrl, dataDir: server.dataDir });
    if ((await store.getSite(siteKey)) === undefined) {
      const known = (await store.listSites()).map((s) => s.key);
      throw new BadInput(
        `<site>: there is no site "${siteKey}" in this store (${known.length === 0 ? 'it has no sites yet: start the server once with its site file' : `sites: ${known.join(', ')}`})`,
      );
    }
    const folder = path.resolve(dir);
    if (action === 'export') {
      const written = await exportVersion(store, siteKey, folder, version);
      stdout.write(
        `site "${siteKey}": version ${written.version} written to ${folder} (${written.source.files.length} entry files${written.source.checks === null ? '' : `, ${CHECKS_FILE}`})\n`,
      );
      return 0;
    }
    await readValidFolder(folder);
    // The worker starts only at the first build: an unchanged folder needs none.
    const builder = createBuildWorker();
    const kb = createKnowledgeBase({
      store,
      models: servesNothing,
      build: options.build ?? builder.build,
      logger: silentLogger,
      now: Date.now,
      watch: false,
    });
    try {
      const result = await kb.importFolderVersion(siteKey, folder);
      if (!result.ok) {
        stderr.write(`${name}: ${folder} not imported: ${result.message}\n`);
        return result.code === 'unreadable' ? 2 : 1;
      }
      const v = result.version;
      stdout.write(
        result.unchanged
          ? `site "${siteKey}": version ${v.version} already holds ${folder}; nothing imported; ${passRate(v)}\n`
          : `site "${siteKey}": imported ${folder} as version ${v.version}; ${passRate(v)}\n`,
      );
      for (const failed of v.checksFailed) {
        stdout.write(`  failing ${failed.id} (${failed.locale}): ${failed.failures.join('; ')}\n`);
      }
      return 0;
    } finally {
      kb.close();
      await builder.close();
    }
  } catch (error) {
    if (error instanceof BadInput || isKnowledgeBaseError(error) || isUsageError(error)) {
      stderr.write(`${name}: ${(error as Error).message}\n`);
      if ((error instanceof BadInput && error.usage) || isUsageError(error)) {
        stderr.write(`${options.usage}\n`);
      }
      return 2;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

/** `parseArgs` throws these for unknown options and missing values. */
function isUsageError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) {
    throw new BadInput(`--version: "${text}" is no version number (1, 2, …)`);
  }
  return Number(text);
}

/** Reads a folder and validates it as the build will, so that bad input fails before a build. */
async function readValidFolder(folder: string): Promise<KbSource> {
  try {
    await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInput(
      `<dir>: ${folder} ${code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`}`,
    );
  }
  const source = await readKbFolder(folder);
  compileKnowledgeBase(source);
  if (source.checks !== null) {
    try {
      parseChecks(source.checks, CHECKS_FILE);
    } catch (error) {
      throw new BadInput((error as Error).message);
    }
  }
  return source;
}

async function exportVersion(
  store: Store,
  siteKey: string,
  folder: string,
  wanted: number | undefined,
): Promise<KbVersionInfo & { source: KbSource }> {
  const versions = await store.listKbVersions(siteKey);
  const number = wanted ?? versions[0]?.version;
  const stored = number === undefined ? undefined : await store.getKbVersion(siteKey, number);
  if (stored === undefined) {
    throw new BadInput(
      versions.length === 0
        ? `<site>: site "${siteKey}" has no knowledge base yet; import one first`
        : `--version: site "${siteKey}" has no version ${number} (${versions.length === 1 ? 'only version 1' : `versions ${versions.at(-1)?.version}–${versions[0]?.version}`})`,
    );
  }
  const present = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new BadInput(
      `<dir>: ${folder} ${error.code === 'ENOTDIR' ? 'is a file' : `cannot be read (${error.code})`}`,
    );
  });
  // Files left from elsewhere would be read back as entries of this version.
  if (present.length > 0) {
    throw new BadInput(`<dir>: ${folder} is not empty; export into a new or empty folder`);
  }
  await writeKbFolder(folder, stored.source);
  return stored;
}
