// Mistakes in the embed tag, as a site's developer makes them: each invalid data-* option is named in
// the console with its value and what it takes; without a site key or with an endpoint that is no
// absolute URL nothing is drawn; and a panel that cannot load (unknown site key, server down) tells
// the visitor in German or English that help is unavailable instead of a blank or broken frame.
import { createServer } from 'node:net';
import type { ConsoleMessage, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launcher, newPage } from './support/browser.js';
import { hostOrigin, routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const unavailable = {
  de: 'Die Hilfe ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
  en: 'Help is not available right now. Please try again later.',
} as const;

const suite = useLotseSuite();

/** The widget's console messages on `page` (they start with "[lotse]"), as they arrive. */
function lotseConsole(page: Page): { type: string; text: string }[] {
  const seen: { type: string; text: string }[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.text().startsWith('[lotse]'))
      seen.push({ type: message.type(), text: message.text() });
  });
  return seen;
}

/** A host page whose embed tag has exactly `attributes` (no data-site unless given). */
async function embedPage(page: Page, attributes: string): Promise<string> {
  const url = `${hostOrigin(suite.lotse.origin)}/e2e/bare.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test page</title></head>
<body><main><h1>A shop</h1></main>
<script async src="${suite.lotse.origin}/lotse.js" ${attributes}></script></body></html>`,
    }),
  );
  return url;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('an embed with invalid options', () => {
  it('names each invalid option once, with its value and what it takes, and still draws the launcher', async () => {
    const page = await newPage(suite.browser, 'en');
    const messages = lotseConsole(page);
    await page.goto(
      await routeHostPage(page, suite.lotse.origin, {
        lang: 'en',
        data: { locale: 'fr', position: 'top-left', color: 'red', consent: 'yes' },
      }),
    );
    await launcher(page, 'en').waitFor();
    await expect.poll(() => messages.length).toBe(4);
    expect(messages.map((m) => m.type)).toEqual(['warning', 'warning', 'warning', 'warning']);
    const [locale, position, color, consent] = messages.map((m) => m.text);
    expect(locale).toContain('data-locale="fr"');
    expect(locale).toContain('"de" or "en"');
    expect(position).toContain('data-position="top-left"');
    expect(position).toContain('"bottom-right" or "bottom-left"');
    expect(color).toContain('data-color="red"');
    expect(color).toContain('#rgb or #rrggbb');
    expect(consent).toContain('data-consent="yes"');
    expect(consent).toContain('"granted", "pending" or "denied"');
    await page.context().close();
  });

  it('draws nothing without data-site, and says so', async () => {
    const page = await newPage(suite.browser, 'en');
    const messages = lotseConsole(page);
    await page.goto(await embedPage(page, ''));
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toEqual({
      type: 'error',
      text: expect.stringContaining('data-site is missing'),
    });
    expect(await page.locator('lotse-widget').count()).toBe(0);
    await page.context().close();
  });

  it.each(['localhost:8912', 'help.example.com:443'])(
    'draws nothing with data-endpoint="%s" (no scheme), and says how to write it',
    async (endpoint) => {
      const page = await newPage(suite.browser, 'en');
      const messages = lotseConsole(page);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(await embedPage(page, `data-site="demo" data-endpoint="${endpoint}"`));
      await expect.poll(() => messages.length).toBe(1);
      expect(messages[0]?.type).toBe('error');
      expect(messages[0]?.text).toContain(`data-endpoint="${endpoint}"`);
      expect(messages[0]?.text).toContain('absolute URL such as https://help.example.com');
      expect(await page.locator('lotse-widget').count()).toBe(0);
      expect(requested.filter((url) => url.includes('/null/'))).toEqual([]);
      await page.context().close();
    },
  );
});

describe.each(['de', 'en'] as const)('a panel that cannot load (%s)', (locale) => {
  const cases = [
    ['an unknown site key', async () => ({ site: 'no-such-site' })],
    ['a server that is down', async () => ({ endpoint: `http://127.0.0.1:${await closedPort()}` })],
  ] as const;

  it.each(cases)(
    'says help is unavailable for %s, and names the options in the console',
    async (_, data) => {
      const page = await newPage(suite.browser, locale);
      const messages = lotseConsole(page);
      await page.goto(
        await routeHostPage(page, suite.lotse.origin, { lang: locale, data: await data() }),
      );
      const button = launcher(page, locale);
      await button.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(unavailable[locale]);
      expect(await page.locator('iframe').isHidden()).toBe(true);
      await expect.poll(() => messages.length).toBe(1);
      expect(messages[0]?.type).toBe('error');
      expect(messages[0]?.text).toContain('data-endpoint');
      expect(messages[0]?.text).toContain('data-site');

      // The launcher closes it like the panel, and opens it again.
      await button.click();
      await alert.waitFor({ state: 'hidden' });
      await button.click();
      await alert.waitFor();
      await page.keyboard.press('Escape');
      await alert.waitFor({ state: 'hidden' });
      await page.context().close();
    },
  );
});
