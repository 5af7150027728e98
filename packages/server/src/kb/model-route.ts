import type { Hono } from 'hono';
import { type AppDeps, type AppEnv, KB_VERSION_HEADER, siteOfPath } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { encodedEtag, isNotModified, pickEncoding } from '../http/representation.js';

/** `GET /v1/sites/:site/model.json`: the site's compiled triage model. */
export function registerModelRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/sites/:site/model.json', async (c) => {
    const site = await siteOfPath(c, deps);
    if (site instanceof Response) return site;
    const model = deps.models.get(site.key);
    if (model === undefined) {
      c.header('Retry-After', '5');
      return apiError(
        c,
        503,
        'model_unavailable',
        `Site "${site.key}" has no published model yet: import a knowledge-base folder or publish one under /admin/kb/.`,
      );
    }
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const etag = encodedEtag(model.etag, encoding);
    c.header('ETag', etag);
    c.header(KB_VERSION_HEADER, String(model.version));
    // Unversioned URL: caches keep it but ask again each time; the strong ETag makes that a 304.
    c.header('Cache-Control', 'public, no-cache');
    c.header('Vary', 'Accept-Encoding', { append: true });
    if (isNotModified(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    if (encoding === undefined) return c.body(model.json, 200);
    c.header('Content-Encoding', encoding);
    return c.body(encoding === 'br' ? model.brotli : model.gzip, 200);
  });
}
