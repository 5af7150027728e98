import { ConfigError, type Logger } from '../options.js';
import type { Store } from '../store/store.js';
import {
  loadSiteFile,
  parseSiteSettings,
  type ResolvedSite,
  resolveSite,
  type SiteSettings,
} from './site-settings.js';

/** Options of {@link seedSiteFiles}. */
export interface SeedSiteFilesOptions {
  store: Store;
  /** Site files (`LOTSE_SITE_FILES`), each one site. */
  files: readonly string[];
  /** The server's port, for `PORT` in the files' origins. */
  port: number;
  now: number;
}

/**
 * Reads every site file, then writes their sites to the store; returns which file seeds which key.
 * Two files naming one key are refused before anything is written: the later would silently
 * replace the earlier at every start.
 */
export async function seedSiteFiles(options: SeedSiteFilesOptions): Promise<Map<string, string>> {
  const fileOf = new Map<string, string>();
  const loaded: SiteSettings[] = [];
  for (const file of options.files) {
    const settings = await loadSiteFile(file, { port: options.port });
    const earlier = fileOf.get(settings.key);
    if (earlier !== undefined) {
      throw new ConfigError(
        `[lotse] LOTSE_SITE_FILES: ${earlier} and ${file} both set up the site "${settings.key}"; give one of them another "key", or leave one out of LOTSE_SITE_FILES`,
      );
    }
    fileOf.set(settings.key, file);
    loaded.push(settings);
  }
  for (const settings of loaded) {
    await options.store.upsertSite(settings.key, settings, options.now);
  }
  return fileOf;
}

/** The sites the server knows, cached in memory and re-read from the store now and then. */
export interface SiteRegistry {
  /** The site, or undefined when the key is unknown. */
  get(key: string): Promise<ResolvedSite | undefined>;
  /** Every cached site. */
  all(): ResolvedSite[];
  /** Whether any site's allow-list holds `origin` (used before the site is known, e.g. preflight). */
  anyAllows(origin: string): boolean;
  /** Re-reads every site from the store. */
  refresh(): Promise<void>;
  close(): void;
}

/** Options of {@link createSiteRegistry}. */
export interface SiteRegistryOptions {
  store: Store;
  logger: Logger;
  /** @default 10000 */
  refreshMs?: number;
}

/** Loads every site from the store and keeps them fresh. */
export async function createSiteRegistry(options: SiteRegistryOptions): Promise<SiteRegistry> {
  const { store, logger } = options;
  let sites = new Map<string, ResolvedSite>();

  const toResolved = (key: string, settings: unknown): ResolvedSite | undefined => {
    try {
      return resolveSite(parseSiteSettings(settings, `stored site "${key}"`));
    } catch (error) {
      logger.error((error as Error).message);
      return undefined;
    }
  };

  // The timer's refresh and one after a save may overlap: a read that started earlier but ends
  // later holds older settings, so the newest read to end wins only if it also started last.
  let started = 0;
  let applied = 0;
  const refresh = async () => {
    const read = ++started;
    const rows = await store.listSites();
    if (read < applied) return;
    applied = read;
    const next = new Map<string, ResolvedSite>();
    for (const row of rows) {
      const site = toResolved(row.key, row.settings);
      if (site !== undefined) next.set(row.key, site);
    }
    sites = next;
  };
  await refresh();

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => logger.error('cannot re-read sites', error));
  }, options.refreshMs ?? 10_000);
  timer.unref();

  return {
    async get(key) {
      const cached = sites.get(key);
      if (cached !== undefined) return cached;
      // A site created by another instance since the last refresh; cached only if no refresh that
      // started after this read has been applied (it may hold newer settings).
      const read = started;
      const row = await store.getSite(key);
      if (row === undefined) return undefined;
      const site = toResolved(row.key, row.settings);
      if (site !== undefined && applied <= read) sites.set(key, site);
      return site;
    },
    all: () => [...sites.values()],
    anyAllows(origin) {
      for (const site of sites.values()) if (site.allowedOrigins.has(origin)) return true;
      return false;
    },
    refresh,
    close: () => clearInterval(timer),
  };
}
