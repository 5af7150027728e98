import { chunksDir, loaderFile, panelDir } from '@lotse/widget/assets';
import type { Hono } from 'hono';
import { addBusinessMinutes } from '../sites/business-time.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import {
  type AppContext,
  type AppDeps,
  type AppEnv,
  KB_VERSION_HEADER,
  siteOfPath,
} from './deps.js';
import { readStaticFile, readStaticFolder, sendStaticFile } from './static-files.js';

/** Hashed file names never change content, so caches may keep them for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The loader's name never changes; five minutes bound how long a new release takes to reach pages. */
const LOADER_CACHE = 'public, max-age=300';

const siteKey = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The panel's policy (packages/widget/README.md, "For servers"); `ancestors` follow `'self'`. */
function panelPolicy(ancestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...ancestors].join(' ')}`,
  ].join('; ');
}

/** The allow-list of the site named by `?site=`; empty for a missing, malformed or unknown key. */
async function frameAncestors(c: AppContext, deps: AppDeps): Promise<string[]> {
  const key = c.req.query('site');
  // Checked before the lookup, so junk keys on this public, unthrottled page never reach the store.
  if (key === undefined || !siteKey.test(key)) return [];
  const site = await deps.sites.get(key);
  // Origins were validated as bare origins when the site was stored: nothing in them can break the header.
  return site === undefined ? [] : [...site.allowedOrigins];
}

/**
 * Serves the built widget from `@lotse/widget/assets`: `/lotse.js` (the script-tag loader),
 * `/widget/*` (the hashed host controller, fetched cross-origin by `import()`), `/panel/` (the panel
 * app, framed only by the site's allow-list) and `GET /v1/sites/:site/widget.json` (the site's
 * widget settings). The files are read once at start; a rebuilt widget needs a restart.
 */
export function registerWidgetRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const loader = readStaticFile(loaderFile);
  const chunks = readStaticFolder(chunksDir);
  const panel = readStaticFolder(panelDir);
  if (loader === undefined || !panel.has('index.html')) {
    deps.options.logger.warn(
      `the widget is not built (${loaderFile}): /lotse.js, /widget/ and /panel/ answer 404 until \`pnpm build\` and a restart`,
    );
  }

  app.get('/lotse.js', (c) => {
    if (loader === undefined) return c.notFound();
    c.header('Cache-Control', LOADER_CACHE);
    return sendStaticFile(c, loader);
  });

  app.get('/widget/*', (c) => {
    const file = chunks.get(c.req.path.slice('/widget/'.length));
    if (file === undefined) return c.notFound();
    c.header('Cache-Control', IMMUTABLE);
    // The loader imports the controller as a module from the host page, a CORS request; the
    // chunk is public code, so any origin may read it.
    c.header('Access-Control-Allow-Origin', '*');
    return sendStaticFile(c, file);
  });

  app.get('/panel', (c) => {
    const query = new URL(c.req.url).search;
    return c.redirect(`/panel/${query}`, 308);
  });
  app.get('/panel/*', async (c) => {
    const name = c.req.path.slice('/panel/'.length) || 'index.html';
    const file = panel.get(name);
    if (file === undefined) return c.notFound();
    if (name.startsWith('assets/')) {
      c.header('Cache-Control', IMMUTABLE);
    } else {
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Security-Policy', panelPolicy(await frameAncestors(c, deps)));
    }
    return sendStaticFile(c, file);
  });

  app.get('/v1/sites/:site/widget.json', async (c) => {
    const site = await siteOfPath(c, deps);
    if (site instanceof Response) return site;
    // Short: a changed setting should reach panels soon, and the answer is tiny.
    c.header('Cache-Control', 'public, max-age=60');
    const kbVersion = deps.models.get(site.key)?.version ?? null;
    if (kbVersion !== null) c.header(KB_VERSION_HEADER, String(kbVersion));
    return c.json(widgetSettings(site, Date.now(), kbVersion));
  });
}

/** The answer of `GET /v1/sites/:site/widget.json`. */
export interface WidgetSettings {
  collectUnanswered: boolean;
  /** Days between two NPS questions to one visitor; absent = the widget's default. */
  npsIntervalDays?: number;
  /** Whether a person works now, else when next (ISO), for the widget's after-hours promise. */
  hours: { openNow: boolean; nextOpening: string | null; timeZone: string };
  /** The knowledge-base version of the model the site serves now; null before its first publish. */
  kbVersion: number | null;
}

/**
 * What the panel needs of a site's settings: opt-ins, the NPS interval, whether it is open now, and
 * which knowledge-base version it serves.
 */
export function widgetSettings(
  site: ResolvedSite,
  now: number,
  kbVersion: number | null,
): WidgetSettings {
  const nextOpen = addBusinessMinutes(now, 0, site.hours);
  const openNow = nextOpen <= now;
  return {
    collectUnanswered: site.collectUnanswered,
    ...(site.settings.npsIntervalDays === undefined
      ? {}
      : { npsIntervalDays: site.settings.npsIntervalDays }),
    hours: {
      openNow,
      nextOpening: openNow ? null : new Date(nextOpen).toISOString(),
      timeZone: site.hours.timeZone,
    },
    kbVersion,
  };
}
