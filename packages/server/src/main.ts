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
  // The demo lives in the repository's examples/, found from where `pnpm start` runs (its root).
  const demo = path.resolve('examples/site.json');
  const siteFiles = configured.length > 0 ? configured : existsSync(demo) ? [demo] : [];
  if (siteFiles.length === 0) consoleLogger.warn('no site file to seed (set LOTSE_SITE_FILES)');
  const demoDir = path.resolve('examples/site');

  const server = await startServer({
    ...options,
    siteFiles,
    ...(existsSync(path.join(demoDir, 'index.html')) ? { demoDir } : {}),
  });
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
  const sites = server.sites.all().map((site) => site.key);
  const host = server.options.host;
  const base =
    host === undefined || host === '0.0.0.0' || host === '::'
      ? `http://localhost:${server.port}`
      : server.url;
  consoleLogger.info(
    `ready on ${base} (${store}; sites: ${sites.length > 0 ? sites.join(', ') : 'none'})`,
  );
  if (server.options.demoDir !== undefined) consoleLogger.info(`  demo shop  ${base}/demo/`);
  consoleLogger.info(`  health     ${base}/healthz`);
  consoleLogger.info(`  widget     ${base}/lotse.js`);
  consoleLogger.info(`  inbox      ${base}/inbox/`);
  consoleLogger.info(`  dashboard  ${base}/dashboard/`);
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    consoleLogger.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
