// The example app's server: serves the page and the bundled client, and signs the signed-in user's
// id for `Lotse('identify', …)` with the site secret, which never leaves this server.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { renderPage } from './page.js';
import { signUserId } from './sign-user.js';

const port = Number(process.env.PORT ?? 3000);
const endpoint = process.env.LOTSE_ENDPOINT ?? 'http://localhost:8787';
const site = process.env.LOTSE_SITE ?? 'app';
const locale = process.env.APP_LOCALE === 'en' ? 'en' : 'de';
const secret = process.env.LOTSE_SITE_SECRET ?? 'demo-app-identity-secret-change-me';
if (!process.env.LOTSE_SITE_SECRET) {
  console.warn('[app] LOTSE_SITE_SECRET is not set: using the demo secret (never in production).');
}
// The user this demo app pretends is signed in; a real app takes it from its session.
const signedInUser = 'u-1001';

const publicDir = new URL('./public/', import.meta.url);
const styles = new URL('../app.css', import.meta.url);

/** The built file for a request path: the stylesheet, or a script Vite wrote (app.js and its chunks). */
function fileFor(pathname: string): [URL, string] | undefined {
  if (pathname === '/app.css') return [styles, 'text/css; charset=utf-8'];
  // One path segment of safe characters: nothing from the URL can climb out of dist/public.
  if (/^\/[\w-]+(\.[\w-]+)*\.js$/.test(pathname)) {
    return [new URL(`.${pathname}`, publicDir), 'text/javascript; charset=utf-8'];
  }
  return undefined;
}

createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://app.invalid');
  if (request.method === 'POST' && url.pathname === '/api/identity') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({ userId: signedInUser, signature: signUserId(secret, signedInUser) }),
    );
    return;
  }
  if (request.method === 'GET' && url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(renderPage({ endpoint, site, locale }));
    return;
  }
  const file = fileFor(url.pathname);
  if (request.method === 'GET' && file) {
    try {
      const body = readFileSync(file[0]);
      response.writeHead(200, { 'content-type': file[1] });
      response.end(body);
      return;
    } catch {
      // Not built yet: falls through to 404.
    }
  }
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('Not found');
}).listen(port, () => {
  console.log(`[app] http://localhost:${port}/ (Lotse at ${endpoint}, site "${site}")`);
});
