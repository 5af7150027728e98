import type { Hono } from 'hono';
import type { AppEnv } from './deps.js';
import { readStaticFolder, type StaticFile, sendStaticFile } from './static-files.js';

/**
 * Serves the demo shop page (`examples/site/`) at `/demo/`, with a strict policy of its own (the
 * widget it embeds comes from this same origin). Without a folder, `/demo/` answers 404.
 */
export function registerDemoPage(app: Hono<AppEnv>, demoDir: string | undefined): void {
  const files = demoDir === undefined ? new Map<string, StaticFile>() : readStaticFolder(demoDir);
  app.get('/demo', (c) => c.redirect('/demo/', 308));
  app.get('/demo/*', (c) => {
    const name = c.req.path.slice('/demo/'.length);
    const file = files.get(name === '' || name.endsWith('/') ? `${name}index.html` : name);
    if (file === undefined) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    );
    return sendStaticFile(c, file);
  });
}
