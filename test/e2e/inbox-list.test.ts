// The inbox list of issue 15 in Chromium: an admin sets the site's suggested tags in the site
// settings, an agent searches by typing and pressing Enter, filters by a suggested tag, saves the
// filter as a view (marked current in the views nav), deletes it again; the list with filters, views
// and quick tags is axe-clean in German and English, on a desktop and a phone.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandoff, signedInState, WAIT } from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    search: 'Text (Nachrichten, Notizen, Ticket)',
    filter: 'Filtern',
    views: 'Ansichten',
    myViews: 'Eigene Ansichten',
    viewName: 'Name der Ansicht',
    saveView: 'Ansicht speichern',
    quickTags: 'Vorgeschlagene Tags',
    settings: 'Einstellungen (JSON): demo',
    save: 'Speichern',
    saved: 'Gespeichert.',
    mine: 'Meine',
  },
  en: {
    search: 'Text (messages, notes, ticket)',
    filter: 'Filter',
    views: 'Views',
    myViews: 'My views',
    viewName: 'View name',
    saveView: 'Save view',
    quickTags: 'Suggested tags',
    settings: 'Settings (JSON): demo',
    save: 'Save',
    saved: 'Saved.',
    mine: 'Mine',
  },
} as const;

async function agentPage(locale: 'de' | 'en', options: BrowserContextOptions = {}): Promise<Page> {
  return newPage(suite.browser, locale, {
    storageState: await signedInState(suite.browser, suite.lotse.origin),
    ...options,
  });
}

let tent = '';
let boots = '';
beforeAll(async () => {
  tent = await createHandoff(
    suite.lotse.origin,
    'zelt.kundin@example.com',
    'Das Zelt hat einen Riss im Außenzelt.',
  );
  boots = await createHandoff(
    suite.lotse.origin,
    'stiefel@example.com',
    'Die Wanderstiefel sind zu klein.',
  );
  // The admin sets the demo site's suggested tags where site settings are edited: the JSON form.
  const page = await agentPage('de');
  await page.goto(`${suite.lotse.origin}/admin/`);
  const box = page.getByLabel(texts.de.settings, { exact: true });
  const settings = JSON.parse(await box.inputValue()) as Record<string, unknown>;
  await box.fill(JSON.stringify({ ...settings, suggestedTags: ['Rückruf', 'VIP'] }, null, 2));
  await box
    .locator('xpath=ancestor::form')
    .getByRole('button', { name: texts.de.save, exact: true })
    .click();
  await page.getByRole('status').getByText(texts.de.saved).waitFor(WAIT);
  await page.context().close();
});

describe('searching and saved views', () => {
  it('searches by typing, tags through a suggestion, saves the filter as a view and deletes it', async () => {
    const t = texts.de;
    const page = await agentPage('de');
    await page.goto(`${suite.lotse.origin}/inbox/`);
    const table = page.getByRole('region', { name: /Gespräche/ });
    await table.getByRole('link', { name: tent, exact: true }).waitFor(WAIT);
    await table.getByRole('link', { name: boots, exact: true }).waitFor(WAIT);

    // Search: type and press Enter (a plain GET form), so the filter is in the URL; "Außenzelt" is
    // found in capitals too.
    await page.getByRole('searchbox', { name: t.search }).fill('AUßENZELT');
    await Promise.all([
      page.waitForURL(/[?&]q=AU%C3%9FENZELT/, WAIT),
      page.getByRole('searchbox', { name: t.search }).press('Enter'),
    ]);
    await table.getByRole('link', { name: tent, exact: true }).waitFor(WAIT);
    await expect.poll(() => table.getByRole('link', { name: boots }).count()).toBe(0);

    // Tag the boots' conversation with a suggested tag (a checkbox) and a free one.
    await page.goto(`${suite.lotse.origin}/inbox/`);
    await Promise.all([
      page.waitForURL(/\/inbox\/c\//, WAIT),
      table.getByRole('link', { name: boots, exact: true }).click(),
    ]);
    await page.getByRole('checkbox', { name: 'vip' }).check();
    await page.getByRole('textbox', { name: 'Weitere Tags' }).fill('Größe');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/tags') && r.status() === 303, WAIT),
      page.getByRole('button', { name: 'Tags speichern' }).click(),
    ]);
    await expect.poll(() => page.getByRole('checkbox', { name: 'vip' }).isChecked()).toBe(true);

    // The quick filter "vip" on the list shows only it, and is marked current.
    await page.goto(`${suite.lotse.origin}/inbox/`);
    const quick = page.getByRole('navigation', { name: t.quickTags });
    await Promise.all([
      page.waitForURL(/[?&]tag=vip/, WAIT),
      quick.getByRole('link', { name: 'vip', exact: true }).click(),
    ]);
    await expect
      .poll(() => quick.getByRole('link', { name: 'vip' }).getAttribute('aria-current'))
      .toBe('page');
    await table.getByRole('link', { name: boots, exact: true }).waitFor(WAIT);
    await expect.poll(() => table.getByRole('link', { name: tent }).count()).toBe(0);

    // Save this filter as a view: it appears in the views nav, marked as the current one.
    await page.getByText(t.myViews, { exact: true }).click();
    await page.getByRole('textbox', { name: t.viewName }).fill('VIP-Fälle');
    await page.getByRole('button', { name: t.saveView, exact: true }).click();
    const views = page.getByRole('navigation', { name: t.views });
    const saved = views.getByRole('link', { name: 'VIP-Fälle', exact: true });
    await saved.waitFor(WAIT);
    expect(await saved.getAttribute('aria-current')).toBe('page');
    expect(await views.getByRole('link', { name: t.mine }).getAttribute('aria-current')).toBeNull();
    // "Meine" is another view: following it moves the mark.
    await Promise.all([
      page.waitForURL(/agent=me/, WAIT),
      views.getByRole('link', { name: t.mine, exact: true }).click(),
    ]);
    await expect
      .poll(() => views.getByRole('link', { name: t.mine }).getAttribute('aria-current'))
      .toBe('page');
    expect(
      await views.getByRole('link', { name: 'VIP-Fälle' }).getAttribute('aria-current'),
    ).toBeNull();

    // Delete it again.
    await page.getByText(t.myViews, { exact: true }).click();
    await page.getByRole('button', { name: 'Ansicht „VIP-Fälle“ löschen' }).click();
    await expect.poll(() => views.getByRole('link', { name: 'VIP-Fälle' }).count()).toBe(0);
    await page.context().close();
  });
});

const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
} as const;

describe.each([
  ['de', 'desktop'],
  ['en', 'desktop'],
  ['de', 'phone'],
  ['en', 'phone'],
] as const)('accessibility of the filtered list (%s, %s)', (locale, size) => {
  it('has no axe violations with filters, views, quick tags and the open view form', async () => {
    const t = texts[locale];
    const page = await agentPage(locale, { bypassCSP: true, viewport: viewports[size] });
    await page.goto(`${suite.lotse.origin}/inbox/?q=zelt&state=all&agent=none&tag=vip`);
    await page.getByRole('navigation', { name: t.views }).waitFor(WAIT);
    await page.getByRole('navigation', { name: t.quickTags }).waitFor(WAIT);
    await page.getByText(t.myViews, { exact: true }).click();
    // A view under the longest name allowed, without a space, wraps instead of widening the page.
    const long = `${locale}-${size}-`.padEnd(60, 'X');
    await page.getByRole('textbox', { name: t.viewName }).fill(long);
    await page.getByRole('button', { name: t.saveView, exact: true }).click();
    const views = page.getByRole('navigation', { name: t.views });
    await views.getByRole('link', { name: long, exact: true }).waitFor(WAIT);
    await page.getByText(t.myViews, { exact: true }).click();
    await page.getByRole('textbox', { name: t.viewName }).waitFor(WAIT);
    expect(await page.locator('html').getAttribute('lang')).toBe(locale);
    expect(await runAxe(page)).toEqual([]);
    // Nothing but the table (which scrolls in its own box) is wider than the screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: new RegExp(long) }).click();
    await expect.poll(() => views.getByRole('link', { name: long }).count()).toBe(0);
    await page.context().close();
  });
});
