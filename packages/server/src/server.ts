import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ENGINE_VERSION } from '@lotse/triage';
import { ensureAdmin } from './agents/ensure-admin.js';
import { startPreAggregation } from './dashboard/pre-aggregate.js';
import { createApp } from './http/app.js';
import { createBuildWorker } from './kb/create-build-worker.js';
import { createKnowledgeBase, type KnowledgeBase, type ModelBuilder } from './kb/knowledge-base.js';
import { createModelRegistry, type ModelRegistry } from './kb/model-registry.js';
import { createLiveHub, type LiveHub } from './live/live-hub.js';
import { createMailChannel, type MailChannel } from './mail/mail-channel.js';
import { checkOverdue, createMailTransport, createNotifier } from './notify/create-notifier.js';
import type { Notifier } from './notify/notifier.js';
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.js';
import { createAddressHasher } from './privacy/address-hasher.js';
import { startRetention } from './privacy/retention.js';
import { loadSecret } from './secrets.js';
import { createSiteRegistry, type SiteRegistry, seedSiteFiles } from './sites/site-registry.js';
import { openStore } from './store/open-store.js';
import type { RateRule, Store } from './store/store.js';

/** Options of {@link startServer}: the server options plus injectable parts for tests. */
export interface StartServerOptions extends ServerOptions {
  /** Builds knowledge-base models and runs their checks. @default the server's worker thread (worker/build-model.mjs) */
  buildModel?: ModelBuilder;
  /** @default Date.now */
  now?: () => number;
  /** Waits between webhook attempts (tests shorten them). @default [1000, 10000, 60000, 600000] */
  webhookRetryDelaysMs?: readonly number[];
  /** Automatic mail replies per sender and site (tests tighten it). @default 3, then one per 20 min */
  mailReplyRule?: RateRule;
  /** Heartbeat of the live event streams (tests shorten it). @default 20000 */
  liveHeartbeatMs?: number;
}

/** A running collector. */
export interface RunningServer {
  /** `http://host:port` it listens on. */
  url: string;
  port: number;
  store: Store;
  sites: SiteRegistry;
  models: ModelRegistry;
  knowledgeBase: KnowledgeBase;
  options: ResolvedServerOptions;
  /** E-mail and webhook notifications. */
  notifier: Notifier;
  /** The mail channel: its SMTP listeners, threaded replies. */
  mail: MailChannel;
  /** Live updates of conversation changes (server-sent events). */
  live: LiveHub;
  /** The first admin's generated password, when one was generated at this start. */
  generatedAdminPassword: string | undefined;
  /** Stops accepting connections, finishes open requests, closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store, seeds the site files, builds the models and starts listening.
 *
 * @example
 * const server = await startServer({ port: 0, dataDir: '/tmp/lotse' });
 * await server.close();
 */
export async function startServer(startOptions: StartServerOptions = {}): Promise<RunningServer> {
  const options = resolveServerOptions(startOptions);
  const { logger } = options;
  const now = startOptions.now ?? Date.now;
  let ready = false;

  const store = await openStore({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    sqliteSynchronous: options.sqliteSynchronous,
  });
  const closers: (() => Promise<void> | void)[] = [() => store.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const secret = loadSecret(options.dataDir, options.secret);
    if (options.databaseUrl !== undefined && options.secret === undefined) {
      logger.warn(
        `LOTSE_SECRET is not set: conversation tokens use ${options.dataDir}/secret.key; every instance on this database must share one secret`,
      );
    }
    const generatedAdminPassword = await ensureAdmin(store, options.admin, logger);

    const listenPort = options.port;
    // Which site a settings file seeds at every start (the admin page says so beside it).
    let siteFiles = new Map<string, string>();
    const seedSites = async (port: number) => {
      siteFiles = await seedSiteFiles({ store, files: options.siteFiles, port, now: now() });
    };
    // With port 0 the real port is known only after listening; seed origins then (below).
    if (listenPort !== 0) await seedSites(listenPort);
    const sites = await createSiteRegistry({ store, logger, refreshMs: options.siteRefreshMs });
    closers.push(() => sites.close());
    const models = createModelRegistry({ store, logger, refreshMs: options.siteRefreshMs });
    closers.push(() => models.close());
    let build = startOptions.buildModel;
    if (build === undefined) {
      const worker = createBuildWorker();
      closers.push(() => worker.close());
      build = worker.build;
    }
    const knowledgeBase = createKnowledgeBase({
      store,
      models,
      build,
      logger,
      now,
      debounceMs: options.modelDebounceMs,
      watch: options.watchKnowledgeBases,
    });
    closers.push(async () => {
      knowledgeBase.close();
      await knowledgeBase.settled();
    });

    let publicUrl = options.publicUrl ?? `http://localhost:${options.port}`;
    // One SMTP transport for the notifications and the mail channel's replies.
    const transport = createMailTransport(options.smtpUrl);
    closers.push(() => transport?.close());
    const live = createLiveHub({
      store,
      logger,
      now,
      databaseUrl: options.databaseUrl,
      ...(startOptions.liveHeartbeatMs === undefined
        ? {}
        : { heartbeatMs: startOptions.liveHeartbeatMs }),
    });
    closers.push(() => live.close());
    await live.ready;
    const mail = createMailChannel({
      store,
      live,
      sites,
      models,
      logger,
      secret,
      transport,
      publicUrl: () => publicUrl,
      now,
      mailFrom: options.mailFrom,
      ...(startOptions.mailReplyRule === undefined
        ? {}
        : { replyRule: startOptions.mailReplyRule }),
    });
    const notifier = createNotifier({
      store,
      sites,
      logger,
      transport,
      replyToVisitor: (handoff, text, how) => mail.replyToVisitor(handoff, text, how),
      from: options.mailFrom,
      publicUrl: () => publicUrl,
      models,
      ...(startOptions.webhookRetryDelaysMs === undefined
        ? {}
        : { webhookRetryDelaysMs: startOptions.webhookRetryDelaysMs }),
    });
    closers.push(() => notifier.close());
    mail.setNotifier(notifier);
    const app = createApp({
      store,
      sites,
      models,
      knowledgeBase,
      options,
      secret,
      addresses: createAddressHasher(store),
      now,
      isReady: () => ready,
      siteFileOf: (key) => siteFiles.get(key),
      notifier,
      live,
    });
    const server = serve({
      fetch: app.fetch,
      port: options.port,
      ...(options.host === undefined ? {} : { hostname: options.host }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    if ('headersTimeout' in server) {
      // Slow headers hold a socket like slow bodies (read-body.ts bounds those): Node's defaults
      // are 60 s for the headers and 300 s for the whole request.
      server.headersTimeout = 15_000;
      server.requestTimeout = 30_000;
    }
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, 5000);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          // Idle keep-alive connections would hold close() open; busy ones get 5 s to finish.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        }),
    );
    // Runs before the close above: open event streams would hold it for its 5 s.
    closers.push(() => live.endStreams());
    const port = (server.address() as AddressInfo).port;
    publicUrl = options.publicUrl ?? `http://${options.host ?? 'localhost'}:${port}`;
    const overdueTimer = setInterval(() => {
      checkOverdue({ store, notifier, now: now() }).catch((error: unknown) =>
        logger.error('overdue check failed', error),
      );
    }, options.overdueCheckMs);
    overdueTimer.unref();
    closers.push(() => clearInterval(overdueTimer));

    if (listenPort === 0) {
      await seedSites(port);
      await sites.refresh();
    }
    // Folders named in the settings are imported when they changed; sites edited in the product
    // serve their newest published version.
    await Promise.all(
      sites
        .all()
        .map((site) =>
          site.knowledgeBase === undefined
            ? Promise.resolve(true)
            : knowledgeBase.useFolder(site.key, site.knowledgeBase),
        ),
    );
    await models.refresh();
    // A model from an earlier engine is served until its rebuild is published (in the background).
    void knowledgeBase.rebuildOutdated(ENGINE_VERSION);
    // After the sites and models: mail left undecided by a crash is decided with them.
    await mail.start();
    closers.push(() => mail.close());
    closers.push(
      startRetention({
        store,
        logger,
        days: options.retentionDays,
        intervalMs: options.retentionIntervalMs,
        now,
      }),
    );
    closers.push(
      startPreAggregation({
        store,
        hoursOf: (key) => sites.all().find((s) => s.key === key)?.hours,
        onError: (error) => logger.error('dashboard pre-aggregation failed', error),
      }),
    );
    ready = true;

    const host = options.host ?? 'localhost';
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      store,
      sites,
      models,
      knowledgeBase,
      options,
      generatedAdminPassword,
      notifier,
      mail,
      live,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
