// The knowledge base in the product: folder imports, the working copy and its drafts, publishing
// through the check gate, restoring. Builds run off the request path (the injected builder is a
// worker thread in production); a published version is swapped in whole by the model registry.
import { type FSWatcher, watch } from 'node:fs';
import { type KnowledgeBaseIssue, parseChecks } from '@lotse/triage';
import type { Logger } from '../options.js';
import type { Store } from '../store/store.js';
import type { FailedCheck, KbDraft, KbVersionInfo } from './kb-queries.js';
import {
  applyChanges,
  fileText,
  type KbSource,
  readKbFolder,
  reviewSource,
  sourceHash,
  textHash,
} from './kb-source.js';
import type { ModelRegistry } from './model-registry.js';

/** Where a build's time went, in milliseconds (the worker reports it; `bench/publish.ts` prints it). */
export interface BuildTimings {
  /** Validating and compiling the knowledge base. */
  compile: number;
  /** Training the classifier (and the signal model, without a second thread) up to the model file. */
  training: number;
  /** Training the signal model in a second thread, beside `training`. */
  signals?: number;
  checks: number;
}

/** What a build returns: the model file, its knowledge-base hash and how the check suite went. */
export interface BuiltModel {
  json: string;
  hash: string;
  checks: { total: number; failed: FailedCheck[] };
  timings?: BuildTimings;
}

/** Builds a stored knowledge base into a model and runs its checks (production: a worker thread). */
export type ModelBuilder = (source: KbSource) => Promise<BuiltModel>;

/** A site's knowledge base as an editor sees it. */
export interface WorkingCopy {
  published: (KbVersionInfo & { source: KbSource }) | undefined;
  drafts: KbDraft[];
  /** The published source with the drafts laid over it. */
  source: KbSource;
}

/** Why a publish did not happen, or the version it made. */
export type PublishResult =
  | { ok: true; version: KbVersionInfo }
  | { ok: false; code: 'nothing_to_publish' }
  | {
      ok: false;
      code: 'invalid';
      message: string;
      /** What is wrong, file by file, when the knowledge base or its check suite is invalid. */
      issues?: readonly KnowledgeBaseIssue[];
    }
  | {
      ok: false;
      code: 'checks_regressed';
      /** Checks that passed in the published version and fail in this one. */
      regressions: FailedCheck[];
      /**
       * Those of `regressions` an override was sent for but did not name (the page that asked for
       * it did not show them); empty when no override was sent.
       */
      notOverridden: FailedCheck[];
      checks: BuiltModel['checks'];
      /** The {@link workingCopyState} that was built: an override answers this state only. */
      state: string;
    }
  | { ok: false; code: 'conflict' }
  | {
      ok: false;
      /** The drafts or the published version changed since the publishing page was loaded. */
      code: 'stale';
      /** What changed; undefined when the page's state could not be read. */
      changes: WorkingCopyChanges | undefined;
    };

/** What a folder import made: the version that holds the folder, or why there is none. */
export type FolderImportResult =
  | {
      ok: true;
      version: KbVersionInfo;
      /** The folder was already stored (see {@link KnowledgeBase.importFolderVersion}): no version was added. */
      unchanged: boolean;
    }
  | { ok: false; code: 'unreadable' | 'build_failed' | 'conflict'; message: string };

/** Options of a publish. */
export interface PublishOptions {
  /** E-mail of the publishing agent. */
  author: string;
  message: string;
  /** Publish although checks regress; recorded with the version. */
  overrideReason?: string;
  /**
   * The ids of the failing checks the override answers (those the refusal showed): a check that
   * fails and is not named here refuses the publish again. @default every failing check
   */
  overrideChecks?: readonly string[];
  /**
   * The {@link workingCopyState} the publishing page showed: the publish is refused (`stale`)
   * when the working copy is no longer that, so a form sent again (a reload) never publishes
   * what its sender did not see. @default not compared
   */
  basedOn?: string;
}

/** What changed in a working copy since a page showed it (see {@link workingCopyChanges}). */
export interface WorkingCopyChanges {
  /** The version published now, when it is not the one the page showed. */
  published: number | undefined;
  /** Drafts the page did not show. */
  added: string[];
  /** Drafts whose text changed since. */
  changed: string[];
  /** Drafts the page showed that are gone (published or discarded). */
  removed: string[];
}

// 16 base64url characters (96 bits) of each draft's hash tell a changed text apart; the state stays
// short enough for a form field with hundreds of drafts.
const HASH_CHARS = 16;

/**
 * What a publish would publish, as the publishing page carries it: the published version and each
 * draft's path and text hash, readable again by {@link workingCopyChanges} to say what changed.
 */
export function workingCopyState(copy: WorkingCopy): string {
  const drafts = copy.drafts
    .map((d) => [d.path, d.hash.slice(0, HASH_CHARS)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([copy.published?.version ?? 0, drafts])).toString('base64url');
}

/**
 * What changed in `copy` since the page whose {@link workingCopyState} is `state`: undefined when
 * nothing did, `'unreadable'` when the state is no state (a crafted or truncated form).
 */
export function workingCopyChanges(
  state: string,
  copy: WorkingCopy,
): WorkingCopyChanges | 'unreadable' | undefined {
  let seen: Map<string, string>;
  let version: number;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(state, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || !Array.isArray(parsed[1])) {
      return 'unreadable';
    }
    version = parsed[0];
    seen = new Map(
      (parsed[1] as unknown[]).map((d) => {
        if (!Array.isArray(d) || typeof d[0] !== 'string' || typeof d[1] !== 'string') {
          throw new TypeError('not a draft');
        }
        return [d[0], d[1]] as const;
      }),
    );
  } catch {
    return 'unreadable';
  }
  const now = new Map(copy.drafts.map((d) => [d.path, d.hash.slice(0, HASH_CHARS)]));
  const changes: WorkingCopyChanges = {
    published: (copy.published?.version ?? 0) === version ? undefined : copy.published?.version,
    added: [...now.keys()].filter((p) => !seen.has(p)),
    changed: [...now].filter(([p, hash]) => seen.has(p) && seen.get(p) !== hash).map(([p]) => p),
    removed: [...seen.keys()].filter((p) => !now.has(p)),
  };
  const same =
    (copy.published?.version ?? 0) === version &&
    changes.added.length + changes.changed.length + changes.removed.length === 0;
  return same ? undefined : changes;
}

/** Saving a draft: saved, or the file changed since the editor loaded it (`current` is what it is now). */
export type SaveDraftResult = { saved: true } | { saved: false; current: string | null };

/** The knowledge-base feature's operations. */
export interface KnowledgeBase {
  /** Imports a folder when it changed since its last import (no check gate: the folder is the operator's), and watches it. */
  useFolder(siteKey: string, dir: string): Promise<boolean>;
  importFolder(siteKey: string, dir: string): Promise<boolean>;
  /**
   * Imports a folder as the newest version like {@link importFolder}, unless the newest version
   * already holds exactly its files (`lotse-server kb import`: an exported version re-imports as
   * itself, and a folder that edits in the product have moved past is imported again).
   */
  importFolderVersion(siteKey: string, dir: string): Promise<FolderImportResult>;
  workingCopy(siteKey: string): Promise<WorkingCopy>;
  /**
   * Saves a changed file (`text` null deletes it) if it is still what `baseHash` says; deleting a
   * file that was never published discards its draft instead.
   */
  saveDraft(
    siteKey: string,
    file: string,
    text: string | null,
    baseHash: string,
    agent: string,
  ): Promise<SaveDraftResult>;
  publish(siteKey: string, options: PublishOptions): Promise<PublishResult>;
  /** Publishes an earlier version's source again as the newest version (no check gate: going back is the way out). */
  restore(siteKey: string, version: number, author: string): Promise<PublishResult>;
  /**
   * Publishes again each site's newest version whose model another triage engine built (its
   * `engineVersion` is not `engineVersion`): a model of another minor version still loads, but
   * scores as its engine did. No check gate (the source is the published one); a build that fails
   * keeps the old model and is logged.
   */
  rebuildOutdated(engineVersion: string): Promise<void>;
  /** Waits for imports and publishes in progress (tests, shutdown). */
  settled(): Promise<void>;
  close(): void;
}

/** Options of {@link createKnowledgeBase}. */
export interface KnowledgeBaseOptions {
  store: Store;
  models: ModelRegistry;
  build: ModelBuilder;
  logger: Logger;
  now: () => number;
  /** @default 300 */
  debounceMs?: number;
  /** @default true */
  watch?: boolean;
}

interface WatchedFolder {
  dir: string;
  watcher: FSWatcher | undefined;
  timer: NodeJS.Timeout | undefined;
}

const emptySource: KbSource = { config: '', files: [], checks: null };

/** Checks that passed in `before` (its suite minus its failures) and fail in `after`. */
function regressionsOf(
  before: (KbVersionInfo & { source: KbSource }) | undefined,
  after: BuiltModel['checks'],
): FailedCheck[] {
  if (before?.source.checks == null) return [];
  let ids: string[];
  try {
    ids = parseChecks(before.source.checks, 'checks.jsonl').map((c) => c.id);
  } catch {
    return [];
  }
  const failedBefore = new Set(before.checksFailed.map((f) => f.id));
  const passedBefore = new Set(ids.filter((id) => !failedBefore.has(id)));
  return after.failed.filter((f) => passedBefore.has(f.id));
}

/** Creates the knowledge-base service of one server process. */
export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { store, models, logger } = options;
  const debounceMs = options.debounceMs ?? 300;
  // One import or publish per site at a time in this process; the store's version numbers settle
  // races between processes.
  const queues = new Map<string, Promise<unknown>>();
  const folders = new Map<string, WatchedFolder>();

  const serially = <T>(siteKey: string, task: () => Promise<T>): Promise<T> => {
    const next = (queues.get(siteKey) ?? Promise.resolve()).catch(() => undefined).then(task);
    queues.set(siteKey, next);
    next
      .finally(() => {
        if (queues.get(siteKey) === next) queues.delete(siteKey);
      })
      .catch(() => undefined);
    return next;
  };

  /**
   * Stores a built source as the version after `after` and serves it; undefined when another
   * process took that number first.
   */
  const storeVersion = async (
    siteKey: string,
    after: number,
    source: KbSource,
    built: BuiltModel,
    details: Pick<
      KbVersionInfo,
      'author' | 'message' | 'overrideReason' | 'restoredFrom' | 'importedFrom' | 'importHash'
    >,
  ): Promise<KbVersionInfo | undefined> => {
    const info = {
      siteKey,
      createdAt: options.now(),
      kbHash: built.hash,
      checksTotal: built.checks.total,
      checksFailed: built.checks.failed,
      ...details,
    };
    const version = await store.insertKbVersion(after, { ...info, source, model: built.json });
    if (version === undefined) return undefined;
    await models.refresh();
    return { ...info, version };
  };

  /**
   * Imports a folder unless `stored` finds a version that already holds it: for the folder named
   * in the site settings the newest import (so that edits published in the product survive a
   * restart), for `lotse-server kb import` the newest version.
   */
  const importNow = async (
    siteKey: string,
    dir: string,
    stored: (
      versions: KbVersionInfo[],
      source: KbSource,
    ) => KbVersionInfo | undefined | Promise<KbVersionInfo | undefined>,
  ): Promise<FolderImportResult> => {
    let source: KbSource;
    try {
      source = await readKbFolder(dir);
    } catch (error) {
      const message = (error as Error).message;
      logger.error(`cannot read the knowledge base of site "${siteKey}" from ${dir}: ${message}`);
      return { ok: false, code: 'unreadable', message };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const versions = await store.listKbVersions(siteKey);
      const existing = await stored(versions, source);
      if (existing !== undefined) {
        await models.refresh();
        return { ok: true, version: existing, unchanged: true };
      }
      let built: BuiltModel;
      try {
        built = await options.build(source);
      } catch (cause) {
        const message = (cause as Error).message;
        const served = models.get(siteKey) !== undefined;
        logger.error(
          `model of site "${siteKey}" not rebuilt from ${dir}${served ? ' (still serving the last good model)' : ''}: ${message}`,
        );
        return { ok: false, code: 'build_failed', message };
      }
      if (built.checks.failed.length > 0) {
        logger.warn(
          `site "${siteKey}": ${built.checks.failed.length} of ${built.checks.total} checks fail on ${dir} (${built.checks.failed.map((f) => f.id).join(', ')})`,
        );
      }
      const version = await storeVersion(siteKey, versions[0]?.version ?? 0, source, built, {
        author: null,
        message: `Imported from ${dir}`,
        overrideReason: null,
        restoredFrom: null,
        importedFrom: dir,
        importHash: sourceHash(source),
      });
      if (version !== undefined) {
        logger.info(
          `model of site "${siteKey}" built (${built.json.length} bytes), version ${version.version}`,
        );
        return { ok: true, version, unchanged: false };
      }
      // Another process stored a version meanwhile; look again.
    }
    return {
      ok: false,
      code: 'conflict',
      message: `other processes kept publishing versions of site "${siteKey}"; try again`,
    };
  };

  const newestImport = (versions: KbVersionInfo[], source: KbSource) => {
    const hash = sourceHash(source);
    const imported = versions.find((v) => v.importHash !== null);
    return imported?.importHash === hash ? imported : undefined;
  };
  const newestVersion = async (versions: KbVersionInfo[], source: KbSource) => {
    const [newest] = versions;
    if (newest === undefined) return undefined;
    const stored = await store.getKbVersion(newest.siteKey, newest.version);
    return stored !== undefined && sourceHash(stored.source) === sourceHash(source)
      ? newest
      : undefined;
  };

  const workingCopy = async (siteKey: string): Promise<WorkingCopy> => {
    const [published, drafts] = await Promise.all([
      store.getNewestKbVersion(siteKey),
      store.listKbDrafts(siteKey),
    ]);
    return {
      published,
      drafts,
      source: applyChanges(published?.source ?? emptySource, drafts),
    };
  };

  const publishSource = async (
    siteKey: string,
    source: KbSource,
    previous: WorkingCopy['published'],
    details: {
      author: string | null;
      message: string;
      overrideReason?: string;
      overrideChecks?: readonly string[];
      restoredFrom?: number;
    },
    /** The check gate, with the state being built; undefined: no gate (restores, rebuilds). */
    gate: { state: string } | undefined,
  ): Promise<PublishResult> => {
    let built: BuiltModel;
    try {
      built = await options.build(source);
    } catch (error) {
      return { ok: false, code: 'invalid', message: (error as Error).message };
    }
    const regressions = regressionsOf(previous, built.checks);
    const overrideReason = details.overrideReason?.trim() || null;
    // An override answers the failures its sender was shown, never ones they have not seen.
    const answered = details.overrideChecks === undefined ? null : new Set(details.overrideChecks);
    const notOverridden =
      overrideReason === null || answered === null
        ? []
        : regressions.filter((r) => !answered.has(r.id));
    if (
      gate !== undefined &&
      regressions.length > 0 &&
      (overrideReason === null || notOverridden.length > 0)
    ) {
      return {
        ok: false,
        code: 'checks_regressed',
        regressions,
        notOverridden,
        checks: built.checks,
        state: gate.state,
      };
    }
    const version = await storeVersion(siteKey, previous?.version ?? 0, source, built, {
      author: details.author,
      message: details.message,
      overrideReason: regressions.length > 0 ? overrideReason : null,
      restoredFrom: details.restoredFrom ?? null,
      importedFrom: null,
      importHash: null,
    });
    return version === undefined ? { ok: false, code: 'conflict' } : { ok: true, version };
  };

  const stopWatching = (siteKey: string) => {
    const folder = folders.get(siteKey);
    clearTimeout(folder?.timer);
    folder?.watcher?.close();
    folders.delete(siteKey);
  };

  return {
    async useFolder(siteKey, dir) {
      if (folders.get(siteKey)?.dir !== dir) {
        stopWatching(siteKey);
        const folder: WatchedFolder = { dir, watcher: undefined, timer: undefined };
        folders.set(siteKey, folder);
        if (options.watch ?? true) {
          try {
            folder.watcher = watch(dir, { recursive: true }, () => {
              clearTimeout(folder.timer);
              folder.timer = setTimeout(() => {
                folder.timer = undefined;
                void serially(siteKey, () => importNow(siteKey, dir, newestImport));
              }, debounceMs);
            });
            folder.watcher.on('error', (error) =>
              logger.warn(`stopped watching ${dir}: ${error.message}`),
            );
          } catch (error) {
            logger.warn(`cannot watch ${dir} for changes: ${(error as Error).message}`);
          }
        }
      }
      return (await serially(siteKey, () => importNow(siteKey, dir, newestImport))).ok;
    },
    importFolder: async (siteKey, dir) =>
      (await serially(siteKey, () => importNow(siteKey, dir, newestImport))).ok,
    importFolderVersion: (siteKey, dir) =>
      serially(siteKey, () => importNow(siteKey, dir, newestVersion)),
    workingCopy,
    async saveDraft(siteKey, file, text, baseHash, agent) {
      const published = await store.getNewestKbVersion(siteKey);
      const publishedText = fileText(published?.source ?? emptySource, file);
      if (text === null && publishedText === null) {
        // Nothing to delete at publish: a "deleted" draft would stand for a file that never was.
        await store.deleteKbDrafts(siteKey, [{ path: file, hash: baseHash }]);
        const current = fileText((await workingCopy(siteKey)).source, file);
        return current === null ? { saved: true } : { saved: false, current };
      }
      const saved = await store.saveKbDraft(
        siteKey,
        { path: file, text, hash: textHash(text), updatedBy: agent, updatedAt: options.now() },
        baseHash,
        textHash(publishedText),
      );
      if (saved) return { saved: true };
      const current = await workingCopy(siteKey);
      return { saved: false, current: fileText(current.source, file) };
    },
    publish: (siteKey, publishOptions) =>
      serially(siteKey, async () => {
        const copy = await workingCopy(siteKey);
        const changes =
          publishOptions.basedOn === undefined
            ? undefined
            : workingCopyChanges(publishOptions.basedOn, copy);
        if (changes !== undefined) {
          return {
            ok: false,
            code: 'stale',
            changes: changes === 'unreadable' ? undefined : changes,
          } as const;
        }
        if (copy.drafts.length === 0 && copy.published !== undefined) {
          return { ok: false, code: 'nothing_to_publish' } as const;
        }
        // Validated here, before the worker's build, so that the refusal names every file and
        // check (the worker's message is the build's first error, in English).
        const issues = reviewSource(copy.source).problems;
        if (issues.length > 0) {
          const message = `[lotse] Invalid knowledge base, ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}:\n${issues.map((i) => `  ${i.file}:${i.line}: ${i.message}`).join('\n')}`;
          return { ok: false, code: 'invalid', message, issues } as const;
        }
        const result = await publishSource(siteKey, copy.source, copy.published, publishOptions, {
          state: workingCopyState(copy),
        });
        // Drafts saved while the build ran hold other text and stay.
        if (result.ok) await store.deleteKbDrafts(siteKey, copy.drafts);
        return result;
      }),
    restore: (siteKey, version, author) =>
      serially(siteKey, async () => {
        const [old, previous] = await Promise.all([
          store.getKbVersion(siteKey, version),
          store.getNewestKbVersion(siteKey),
        ]);
        if (old === undefined) {
          return { ok: false, code: 'invalid', message: `there is no version ${version}` } as const;
        }
        return publishSource(
          siteKey,
          old.source,
          previous,
          { author, message: `Restored version ${version}`, restoredFrom: version },
          undefined,
        );
      }),
    async rebuildOutdated(engineVersion) {
      const rebuilt = (await store.latestKbVersions()).map(({ siteKey }) =>
        serially(siteKey, async () => {
          // The registry holds the newest version's model already: the store is read only for a
          // model to rebuild. One without the field is not a triage engine's (a stand-in builder's).
          const served = models.get(siteKey);
          const built = served === undefined ? undefined : engineOf(served.json);
          if (served === undefined || built === undefined || built === engineVersion) return;
          const newest = await store.getNewestKbVersion(siteKey);
          // Published meanwhile: the newer version has a model of its own.
          if (newest?.version !== served.version) return;
          const result = await publishSource(
            siteKey,
            newest.source,
            newest,
            {
              author: null,
              message: `Rebuilt for triage engine ${engineVersion} (was ${built})`,
              restoredFrom: newest.version,
            },
            undefined,
          );
          if (result.ok) {
            logger.info(
              `site "${siteKey}": version ${newest.version} (engine ${built}) rebuilt as version ${result.version.version}`,
            );
          } else {
            logger.warn(
              `site "${siteKey}": version ${newest.version} (engine ${built}) not rebuilt (${result.code}); serving it as it is`,
            );
          }
        }),
      );
      await Promise.all(rebuilt);
    },
    async settled() {
      for (;;) {
        const busy = [...queues.values()];
        const waiting = [...folders.values()].some((f) => f.timer !== undefined);
        if (busy.length === 0 && !waiting) return;
        await Promise.all(busy.map((p) => p.catch(() => undefined)));
        if (busy.length === 0) await new Promise((r) => setTimeout(r, debounceMs));
      }
    },
    close() {
      for (const siteKey of [...folders.keys()]) stopWatching(siteKey);
    },
  };
}

/** The `engineVersion` a stored model was built by; undefined when it has none or is no JSON. */
function engineOf(json: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    const version = (parsed as { engineVersion?: unknown } | null)?.engineVersion;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
