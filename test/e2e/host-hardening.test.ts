// The widget on hostile or strict host pages: a strict CSP with Trusted Types, CSS that resets
// everything, a huge root font size, narrow screens, and a host field the panel must not cover.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launcher, newPage, panelFrame } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

async function askStandard(page: Page): Promise<void> {
  await launcher(page, 'de').click();
  const frame = await panelFrame(page, 'de');
  const box = frame.getByRole('combobox', { name: 'Ihre Frage' });
  await box.fill('Wie bekomme ich ein Rücksendeetikett?');
  await box.press('Enter');
  await frame.getByRole('group', { name: 'Hat Ihnen das geholfen?' }).waitFor();
}

describe('host pages', () => {
  it('works under a strict CSP (nonce, strict-dynamic, Trusted Types, no unsafe-inline)', async () => {
    const page = await newPage(suite.browser, 'de');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Trusted Type/i.test(message.text()))
        violations.push(message.text());
    });
    const url = await routeHostPage(page, suite.lotse.origin, {
      nonce: 'e2e-nonce-1',
      csp: [
        "default-src 'self'",
        "script-src 'nonce-e2e-nonce-1' 'strict-dynamic'",
        "style-src 'self'",
        `frame-src ${suite.lotse.origin}`,
        `connect-src 'self'`,
        "object-src 'none'",
        "base-uri 'none'",
        "require-trusted-types-for 'script'",
        'trusted-types lotse',
      ].join('; '),
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(
          `Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await page.goto(url);
    await askStandard(page);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('keeps its size and place under hostile host CSS (* { all: unset }, html { font-size: 40px })', async () => {
    const page = await newPage(suite.browser, 'de');
    await page.goto(
      await routeHostPage(page, suite.lotse.origin, {
        css: '* { all: unset !important; } html { font-size: 40px !important; } button { color: red; font-size: 3rem; }',
      }),
    );
    const button = launcher(page, 'de');
    await button.waitFor();
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeLessThan(80);
    expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await button.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');

    await askStandard(page);
    const frameBox = await page.locator('iframe[title="Hilfe"]').boundingBox();
    expect(frameBox!.width).toBeGreaterThanOrEqual(300);
    expect(frameBox!.height).toBeGreaterThanOrEqual(320);
    expect(frameBox!.x).toBeGreaterThanOrEqual(0);
    expect(frameBox!.y).toBeGreaterThanOrEqual(0);
    await page.context().close();
  });

  it('fills the screen on a narrow viewport', async () => {
    const page = await newPage(suite.browser, 'de', {
      viewport: { width: 375, height: 700 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(await routeHostPage(page, suite.lotse.origin));
    await launcher(page, 'de').click();
    await panelFrame(page, 'de');
    const frameBox = await page.locator('iframe[title="Hilfe"]').boundingBox();
    expect(frameBox).toEqual({ x: 0, y: 0, width: 375, height: 700 });
    await page.context().close();
  });

  it('does not cover the field the visitor is typing in when a site opens it by API', async () => {
    const page = await newPage(suite.browser, 'de');
    await page.goto(
      await routeHostPage(page, suite.lotse.origin, {
        css: '#note { position: fixed; right: 40px; bottom: 200px; width: 300px; height: 40px; }',
        body: '<label for="note">Notiz</label><input id="note">',
      }),
    );
    await launcher(page, 'de').waitFor();
    await page.locator('#note').focus();
    await page.evaluate(() =>
      (window as unknown as { Lotse: (cmd: string) => void }).Lotse('open'),
    );
    await panelFrame(page, 'de');
    await page.locator('#note').focus();
    await expect
      .poll(async () => {
        const field = (await page.locator('#note').boundingBox())!;
        const frame = (await page.locator('iframe[title="Hilfe"]').boundingBox())!;
        return (
          frame.x < field.x + field.width &&
          frame.x + frame.width > field.x &&
          frame.y < field.y + field.height &&
          frame.y + frame.height > field.y
        );
      })
      .toBe(false);
    await page.context().close();
  });
});

describe('never throws into the host page', () => {
  it('survives bad commands and a controller that fails to load', async () => {
    const page = await newPage(suite.browser, 'de');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Counted when the page saw the download fail (the renderer reports it after the task that
    // rejected the import, so the loader has handled the failure by then).
    let failed = 0;
    page.on('requestfailed', (request) => {
      if (/\/widget\/controller-[\w-]+\.js$/.test(request.url())) failed++;
    });
    await page.route('**/widget/controller-*.js', (route) => route.abort());
    await page.goto(await routeHostPage(page, suite.lotse.origin));
    await launcher(page, 'de').waitFor();
    const results = await page.evaluate(() => {
      const lotse = (window as unknown as { Lotse: (...args: unknown[]) => unknown }).Lotse;
      return [
        lotse('nope'),
        lotse('ask', 42),
        lotse('identify', null),
        lotse('consent', 'maybe'),
        lotse('setLocale', 'fr'),
        typeof lotse('on', 'open', 'not a function'),
        lotse('open'),
      ];
    });
    expect(results).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'function',
      undefined,
    ]);
    // `open` tried the download; once it failed, the click tries again (and fails again).
    await expect.poll(() => failed).toBe(1);
    await launcher(page, 'de').click();
    await expect.poll(() => failed).toBe(2);
    expect(errors).toEqual([]);
    expect(await launcher(page, 'de').getAttribute('aria-expanded')).toBe('false');

    // The network is back: the next intent downloads the controller again and opens the panel.
    await page.unroute('**/widget/controller-*.js');
    await launcher(page, 'de').click();
    await panelFrame(page, 'de');
    expect(await launcher(page, 'de').getAttribute('aria-expanded')).toBe('true');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs no command queued right before unmount, and leaves no listener behind', async () => {
    const page = await newPage(suite.browser, 'de');
    // Counts the listeners on window and document (placing the open panel adds some to both).
    await page.addInitScript(() => {
      const w = window as unknown as { listeners: number };
      w.listeners = 0;
      for (const target of [window, document] as EventTarget[]) {
        const add = target.addEventListener.bind(target);
        const remove = target.removeEventListener.bind(target);
        target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => {
          w.listeners++;
          add(...args);
        };
        target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => {
          w.listeners--;
          remove(...args);
        };
      }
    });
    await page.goto(await routeHostPage(page, suite.lotse.origin));
    await launcher(page, 'de').click();
    await panelFrame(page, 'de');
    await launcher(page, 'de').click();
    expect(await launcher(page, 'de').getAttribute('aria-expanded')).toBe('false');
    const after = await page.evaluate(async () => {
      const w = window as unknown as { Lotse: (...args: unknown[]) => unknown; listeners: number };
      const lotse = w.Lotse;
      const button = document.querySelector('lotse-widget')?.shadowRoot?.querySelector('button');
      const before = w.listeners;
      lotse('open');
      lotse('ask', 'Wo ist mein Paket?');
      lotse('unmount');
      // A call through a kept reference must not revive the destroyed controller either.
      lotse('open');
      // Queued commands run as microtasks; one macrotask later they all have.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { expanded: button?.getAttribute('aria-expanded'), added: w.listeners - before };
    });
    // Unmount removes the bridge's message listener, the only one left after closing.
    expect(after).toEqual({ expanded: 'false', added: -1 });
    expect(await page.locator('lotse-widget').count()).toBe(0);
    await page.context().close();
  });

  it('forwards analytics events under their dotted names only', async () => {
    const page = await newPage(suite.browser, 'de');
    await page.goto(await routeHostPage(page, suite.lotse.origin));
    const seen: unknown[] = [];
    await page.exposeFunction('recordWidgetEvent', (payload: unknown) => seen.push(payload));
    await page.evaluate(() => {
      const w = window as unknown as {
        Lotse: (...args: unknown[]) => unknown;
        recordWidgetEvent: (payload: unknown) => void;
      };
      w.Lotse('on', 'close', () => w.recordWidgetEvent('close'));
      w.Lotse('on', 'widget.opened', (props: unknown) => w.recordWidgetEvent(props));
    });
    await launcher(page, 'de').click();
    const frame = await panelFrame(page, 'de');
    await expect
      .poll(() => seen)
      .toEqual([{ channel: 'widget', locale: 'de', trigger: 'launcher' }]);
    // An event the panel names like a widget event ('close') is not the panel closing.
    await frame.evaluate(() =>
      parent.postMessage({ lotse: 1, type: 'event', name: 'close', props: {} }, '*'),
    );
    await frame.evaluate(() =>
      parent.postMessage({ lotse: 1, type: 'event', name: 'widget.opened', props: { n: 2 } }, '*'),
    );
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1]).toEqual({ n: 2 });
    await page.context().close();
  });

  it('leaves focus on the host page when the site closes the panel', async () => {
    const page = await newPage(suite.browser, 'de');
    await page.goto(await routeHostPage(page, suite.lotse.origin, { body: '<input id="note">' }));
    const opened: unknown[] = [];
    await page.exposeFunction('recordOpened', (props: unknown) => opened.push(props));
    // The panel's script is held until the visitor has gone back to the page: the host's `open`
    // then reaches a panel that no longer has focus (the race a loaded machine produced by chance).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requested = false;
    await page.route('**/panel/assets/index-*.js', async (route) => {
      requested = true;
      await held;
      await route.continue();
    });
    await page.evaluate(() => {
      const w = window as unknown as {
        Lotse: (...args: unknown[]) => void;
        recordOpened: (props: unknown) => void;
      };
      w.Lotse('on', 'widget.opened', (props: unknown) => w.recordOpened(props));
      w.Lotse('open');
    });
    await expect.poll(() => requested).toBe(true);
    await page.locator('#note').focus();
    release();
    const frame = await panelFrame(page, 'de');
    await expect.poll(() => opened.length).toBe(1);
    // The panel handled `open`; its effects (where it would move focus) run after the next frame.
    await frame.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('note');

    await page.evaluate(() =>
      (window as unknown as { Lotse: (cmd: string) => void }).Lotse('close'),
    );
    await expect.poll(() => launcher(page, 'de').getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('note');
    await page.context().close();
  });
});
