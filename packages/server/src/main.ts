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
  const options = serverOptionsFromEnv(env, consoleLogger);
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

/** The parts of a Node system error that say where listening failed. */
interface ListenError {
  code?: unknown;
  syscall?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
}

/**
 * Why the server could not start, as whoever set the environment can act on it: an error of
 * listening on `HOST` and `PORT` names the variable, its value and the fix; others keep their message.
 */
export function describeStartError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = error instanceof Error ? error.message : String(error);
  if (typeof error !== 'object' || error === null) return message;
  const e = error as ListenError;
  const host = env.HOST || undefined;
  const portSetting = env.PORT ? `PORT=${env.PORT}` : 'PORT (unset: 8787)';
  const everyInterface = 'or unset HOST to listen on every interface';
  if (e.syscall === 'getaddrinfo' && host !== undefined && e.hostname === host) {
    return `[lotse] HOST=${host}: no address of this machine has this name (${String(e.code)}); give one of its addresses or names (e.g. 127.0.0.1 or localhost), ${everyInterface}`;
  }
  // A site's mail listener listens too, on a port of its own: only the server's port is PORT's.
  if (e.syscall !== 'listen' || e.port !== Number(env.PORT || 8787)) return message;
  if (e.code === 'EADDRINUSE') {
    return `[lotse] ${portSetting}: the port is in use (by another server, or another Lotse); stop that one, or set PORT to a free port (0 picks any)`;
  }
  if (e.code === 'EACCES') {
    return `[lotse] ${portSetting}: this user may not listen on that port (below 1024 needs privileges); set PORT to 1024 or above, behind a reverse proxy for port 80 or 443`;
  }
  if (e.code === 'EADDRNOTAVAIL' && host !== undefined) {
    return `[lotse] HOST=${host}: not an address of this machine; give one of its addresses (e.g. 127.0.0.1), ${everyInterface}`;
  }
  return message;
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    consoleLogger.error(describeStartError(error));
    process.exit(1);
  });
}
