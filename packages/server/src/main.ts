#!/usr/bin/env node
import { existsSync } from 'node:fs';
import path from 'node:path';
import { consoleLogger, serverOptionsFromEnv } from './options.js';
import { startServer } from './server.js';

/**
 * Starts the collector from the environment (README "Settings") and stops it gracefully on SIGTERM
 * or SIGINT; a second signal exits at once. This is what `pnpm start` runs.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const options = serverOptionsFromEnv(env);
  const configured = (env.LOTSE_SITE_FILES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const demo = path.resolve('examples/site.json');
  const siteFiles = configured.length > 0 ? configured : existsSync(demo) ? [demo] : [];
  if (siteFiles.length === 0) consoleLogger.warn('no site file to seed (set LOTSE_SITE_FILES)');

  const server = await startServer({ ...options, siteFiles });
  // Handlers first: whoever reads the log line below may signal at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      consoleLogger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    consoleLogger.info(`${signal}: finishing open requests, then stopping`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        consoleLogger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const store =
    server.store.kind === 'postgres' ? 'PostgreSQL' : `SQLite in ${server.options.dataDir}`;
  consoleLogger.info(`collector listening on http://localhost:${server.port} (${store})`);
  consoleLogger.info(
    `sites: ${server.sites
      .all()
      .map((s) => s.key)
      .join(', ')}; demo shop at http://localhost:${server.port}/demo/`,
  );
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    consoleLogger.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
