import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './deps.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

function filesBelow(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => statSync(path.join(dir, f)).isFile());
  } catch {
    return [];
  }
}

/**
 * Serves the files of `publicDir/<prefix>` at `/<prefix>/` (read once at start: a handful of small
 * files, and no path from the URL ever reaches the file system).
 */
export function registerStaticPages(app: Hono<AppEnv>, publicDir: string, prefix: string): void {
  const root = path.join(publicDir, prefix);
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const file of filesBelow(root)) {
    const url = `/${prefix}/${file.split(path.sep).join('/')}`;
    const entry = {
      body: readFileSync(path.join(root, file)),
      type: types[path.extname(file)] ?? 'application/octet-stream',
    };
    files.set(url, entry);
    if (url.endsWith('/index.html')) files.set(url.slice(0, -'index.html'.length), entry);
  }
  app.get(`/${prefix}`, (c) => c.redirect(`/${prefix}/`, 308));
  app.get(`/${prefix}/*`, (c) => {
    const file = files.get(c.req.path);
    if (file === undefined) return c.notFound();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'no-cache');
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'",
    );
    return c.body(new Uint8Array(file.body));
  });
}
