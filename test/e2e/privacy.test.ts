// Before the visitor's first interaction: no request but the loader, nothing stored on the device.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchChromium, launcher, newPage, panelFrame } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { type LotseUnderTest, startLotse } from './support/lotse-server.js';

let lotse: LotseUnderTest;
let browser: Browser;

beforeAll(async () => {
  lotse = await startLotse();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.stop();
});

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
    const page = await newPage(browser, 'de');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = await routeHostPage(page, lotse.origin);
    await page.goto(url);
    await launcher(page, 'de').waitFor();
    await page.waitForLoadState('networkidle');

    const widgetRequests = requests.filter((r) => r.startsWith(lotse.origin));
    expect(widgetRequests).toEqual([`${lotse.origin}/lotse.js`]);
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
    expect(requests.some((r) => r.startsWith(`${lotse.origin}/panel/`))).toBe(true);
    await page.context().close();
  });

  it('runs commands queued by the stub before the loader, and unmount removes everything', async () => {
    const page = await newPage(browser, 'en');
    const url = await routeHostPage(page, lotse.origin, { lang: 'en' });
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
    const page = await newPage(browser, 'de');
    const eventPosts: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) eventPosts.push(request.url());
    });
    await page.goto(await routeHostPage(page, lotse.origin, { data: { consent: 'pending' } }));
    await launcher(page, 'de').click();
    const frame = await panelFrame(page, 'de');
    const box = frame.getByRole('combobox', { name: 'Ihre Frage' });
    await box.fill('Wie lange dauert der Versand?');
    await box.press('Enter');
    await frame.getByRole('group', { name: 'Hat Ihnen das geholfen?' }).waitFor();
    // Longer than the panel's flush interval (1 s): anything allowed to leave would have left.
    await page.waitForTimeout(2500);
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
    await expect.poll(() => eventPosts.length, { timeout: 15000 }).toBeGreaterThan(0);
    const types = await eventually(
      () => lotse.events().map((e) => e.type),
      (found) => found.includes('answer.shown'),
    );
    expect(types).toEqual(
      expect.arrayContaining(['widget.opened', 'query.submitted', 'answer.shown']),
    );
    await page.context().close();
  });
});
