// Before the visitor's first interaction: no request but the loader, nothing stored on the device.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, launcher, newPage, panelFrame } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

async function storedOnDevice(page: Page): Promise<unknown> {
  const inPage = await page.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    cookies: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
  }));
  return { ...inPage, contextCookies: (await page.context().cookies()).length };
}

describe('before the first interaction', () => {
  it('requests nothing but the loader and stores nothing (the built dist/lotse.js)', async () => {
    const page = await newPage(suite.browser, 'de');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = await routeHostPage(page, suite.lotse.origin);
    await page.goto(url);
    await launcher(page, 'de').waitFor();
    await page.waitForLoadState('networkidle');

    const widgetRequests = requests.filter((r) => r.startsWith(suite.lotse.origin));
    expect(widgetRequests).toEqual([`${suite.lotse.origin}/lotse.js`]);
    expect(await storedOnDevice(page)).toEqual({
      localStorage: 0,
      sessionStorage: 0,
      cookies: '',
      indexedDB: 0,
      contextCookies: 0,
    });
    expect(await page.evaluate(() => typeof (window as { Lotse?: unknown }).Lotse)).toBe(
      'function',
    );

    // Intent (hover) loads the controller; the click opens the panel.
    await launcher(page, 'de').hover();
    await expect
      .poll(() => requests.some((r) => /\/widget\/controller-[\w-]+\.js$/.test(r)))
      .toBe(true);
    await launcher(page, 'de').click();
    await panelFrame(page, 'de');
    expect(requests.some((r) => r.startsWith(`${suite.lotse.origin}/panel/`))).toBe(true);
    await page.context().close();
  });

  it('runs commands queued by the stub before the loader, and unmount removes everything', async () => {
    const page = await newPage(suite.browser, 'en');
    const url = await routeHostPage(page, suite.lotse.origin, { lang: 'en' });
    await page.addInitScript(() => {
      const w = window as unknown as {
        Lotse: ((...args: unknown[]) => void) & { q?: unknown[][] };
      };
      // The documented stub, as a site adds it before the loader.
      w.Lotse =
        w.Lotse ||
        ((...args: unknown[]) => {
          w.Lotse.q = w.Lotse.q || [];
          w.Lotse.q.push(args);
        });
      w.Lotse('setLocale', 'de');
    });
    await page.goto(url);
    await launcher(page, 'de').waitFor();
    const opened: unknown[] = [];
    await page.exposeFunction('recordOpen', (payload: unknown) => opened.push(payload));
    await page.evaluate(() => {
      const w = window as unknown as {
        Lotse: (...args: unknown[]) => unknown;
        recordOpen: (p: unknown) => void;
      };
      w.Lotse('on', 'open', (payload: unknown) => w.recordOpen(payload));
      w.Lotse('on', 'event', (payload: unknown) => w.recordOpen(payload));
      w.Lotse('open');
    });
    await panelFrame(page, 'de');
    await expect
      .poll(() => opened)
      .toEqual([
        { trigger: 'api' },
        { name: 'widget.opened', props: { channel: 'widget', locale: 'de', trigger: 'api' } },
      ]);

    await page.evaluate(() =>
      (window as unknown as { Lotse: (cmd: string) => void }).Lotse('unmount'),
    );
    expect(await page.locator('lotse-widget').count()).toBe(0);
    expect(await page.evaluate(() => 'Lotse' in window)).toBe(false);
    await page.context().close();
  });
});

describe('consent', () => {
  it('sends and stores no event while consent is pending, and sends them once granted', async () => {
    const page = await newPage(suite.browser, 'de');
    const eventPosts: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) eventPosts.push(request.url());
    });
    await page.goto(
      await routeHostPage(page, suite.lotse.origin, { data: { consent: 'pending' } }),
    );
    await launcher(page, 'de').click();
    const frame = await panelFrame(page, 'de');
    const box = frame.getByRole('combobox', { name: 'Ihre Frage' });
    await box.fill('Wie lange dauert der Versand?');
    await box.press('Enter');
    await frame.getByRole('group', { name: 'Hat Ihnen das geholfen?' }).waitFor();
    // A second page with consent granted opens the panel only now; once its event has left (after
    // the same flush interval, started later), anything the first page were allowed to send would
    // have left too.
    const control = await newPage(suite.browser, 'en');
    let controlPosts = 0;
    control.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) controlPosts++;
    });
    await control.goto(await routeHostPage(control, suite.lotse.origin, { lang: 'en' }));
    await launcher(control, 'en').click();
    await panelFrame(control, 'en');
    await expect.poll(() => controlPosts).toBeGreaterThan(0);
    await control.context().close();
    expect(eventPosts).toEqual([]);
    // The panel is a third-party frame: its storage is either blocked by the browser or empty.
    const stored = await frame.evaluate(() => {
      try {
        return localStorage.length;
      } catch {
        return 0;
      }
    });
    expect(stored).toBe(0);

    await page.evaluate(() =>
      (window as unknown as { Lotse: (...a: unknown[]) => void }).Lotse('consent', 'granted'),
    );
    await expect.poll(() => eventPosts.length).toBeGreaterThan(0);
    const types = await eventually(
      () => suite.lotse.events().map((e) => e.type),
      (found) => found.includes('answer.shown'),
    );
    expect(types).toEqual(
      expect.arrayContaining(['widget.opened', 'query.submitted', 'answer.shown']),
    );
    await page.context().close();
  });
});
