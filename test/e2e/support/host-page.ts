// Host pages for the suites: served by Playwright's router at http://localhost:<port>/e2e/… while the
// widget comes from http://127.0.0.1:<port>, so host and widget are different origins (both in the
// demo site's allow-list), as on a real customer site.
import type { Browser, Frame, Page } from 'playwright-core';
import { launcher, newPage, panelFrame } from './browser.js';

/** What a test host page looks like. */
export interface HostPageOptions {
  lang?: 'de' | 'en';
  /** Value of the page's Content-Security-Policy header. */
  csp?: string;
  /** Nonce for the embed tag (with a CSP). */
  nonce?: string;
  /** The host's own stylesheet, sent as a separate file (works under any CSP). */
  css?: string;
  /** Extra `data-*` attributes of the embed tag. */
  data?: Record<string, string>;
  /** Extra body markup (e.g. a focused field). */
  body?: string;
}

/** The localhost origin for a widget origin on 127.0.0.1 (same port). */
export const hostOrigin = (widgetOrigin: string) => widgetOrigin.replace('127.0.0.1', 'localhost');

/**
 * Routes `http://localhost:<port>/e2e/host.html` (and its stylesheet) to a generated page with the
 * one-line embed pointing at `widgetOrigin`, and returns its URL.
 */
export async function routeHostPage(
  page: Page,
  widgetOrigin: string,
  options: HostPageOptions = {},
): Promise<string> {
  const base = `${hostOrigin(widgetOrigin)}/e2e/`;
  const lang = options.lang ?? 'de';
  const attrs = Object.entries({ site: 'demo', ...options.data })
    .map(([key, value]) => ` data-${key}="${value}"`)
    .join('');
  const nonce = options.nonce ? ` nonce="${options.nonce}"` : '';
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${lang === 'de' ? 'Testseite' : 'Test page'}</title>
<link rel="stylesheet" href="host.css"></head>
<body>
<main><h1>${lang === 'de' ? 'Ein Shop' : 'A shop'}</h1>
<p>${lang === 'de' ? 'Willkommen in unserem Laden.' : 'Welcome to our shop.'}</p>
${options.body ?? ''}</main>
<script async${nonce} src="${widgetOrigin}/lotse.js"${attrs}></script>
</body></html>`;
  await page.route(`${base}**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.endsWith('/host.css')) {
      return route.fulfill({ contentType: 'text/css', body: options.css ?? '' });
    }
    return route.fulfill({
      contentType: 'text/html; charset=utf-8',
      headers: options.csp ? { 'Content-Security-Policy': options.csp } : {},
      body: html,
    });
  });
  return `${base}host.html`;
}

/**
 * Opens the demo shop and its panel as a visitor in `locale`: German on the demo page itself,
 * English on a routed host page (the demo page is German). Checks that the launcher says it opened.
 */
export async function openDemoPanel(
  browser: Browser,
  widgetOrigin: string,
  locale: 'de' | 'en',
): Promise<{ page: Page; frame: Frame }> {
  const page = await newPage(browser, locale);
  const url =
    locale === 'de'
      ? `${hostOrigin(widgetOrigin)}/demo/`
      : await routeHostPage(page, widgetOrigin, { lang: 'en' });
  await page.goto(url);
  const button = launcher(page, locale);
  if ((await button.getAttribute('aria-expanded')) !== 'false') {
    throw new Error('the launcher should start closed');
  }
  await button.click();
  const frame = await panelFrame(page, locale);
  if ((await button.getAttribute('aria-expanded')) !== 'true') {
    throw new Error('the launcher should say the panel is open');
  }
  return { page, frame };
}
