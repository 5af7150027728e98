import type { Hono } from 'hono';
import { type AppDeps, type AppEnv, checkOrigin, limitSite } from './deps.js';
import { apiError } from './errors.js';

/** The tags an `If-None-Match` header lists (`*` included), without weak prefixes. */
function listedTags(ifNoneMatch: string): string[] {
  return ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** Picks Brotli, gzip or identity from `Accept-Encoding` (q-values other than 0 are not ranked). */
function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(';')[0]),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** `GET /v1/sites/:site/model.json`: the site's compiled triage model. */
export function registerModelRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/sites/:site/model.json', async (c) => {
    const key = c.req.param('site');
    const site = await deps.sites.get(key);
    if (site === undefined) {
      return apiError(c, 403, 'unknown_site', `Unknown site key "${key.slice(0, 64)}".`, 'site');
    }
    const denied = checkOrigin(c, deps, site) ?? (await limitSite(c, deps, site));
    if (denied !== undefined) return denied;
    const model = deps.models.get(site.key);
    if (model === undefined) {
      c.header('Retry-After', '5');
      return apiError(
        c,
        503,
        'model_unavailable',
        `Site "${site.key}" has no built model${site.knowledgeBase === undefined ? ' (no knowledge base configured)' : ' yet'}.`,
      );
    }
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    // Each encoding is its own representation, so it gets its own strong ETag.
    const etag = encoding === undefined ? model.etag : `${model.etag.slice(0, -1)}-${encoding}"`;
    c.header('ETag', etag);
    // Unversioned URL: caches keep it but ask again each time; the strong ETag makes that a 304.
    c.header('Cache-Control', 'public, no-cache');
    c.header('Vary', 'Accept-Encoding', { append: true });
    const ifNoneMatch = c.req.header('if-none-match');
    if (ifNoneMatch !== undefined) {
      const tags = listedTags(ifNoneMatch);
      if (tags.includes('*') || tags.includes(etag)) return c.body(null, 304);
    }
    c.header('Content-Type', 'application/json; charset=utf-8');
    if (encoding === undefined) return c.body(model.json, 200);
    c.header('Content-Encoding', encoding);
    return c.body(encoding === 'br' ? model.brotli : model.gzip, 200);
  });
}
