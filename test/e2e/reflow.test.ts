// Every agent page reflows at 320 CSS pixels (WCAG 1.4.10: a 1280 px window at 400 % zoom), German
// and English: nothing makes the page itself scroll sideways (wide tables scroll in their own
// region). German's long words in headings ("Wissensdatenbank", "Bewertungsbögen") wrap, and so
// does the site file's path on the admin page: the demo is read from a checkout whose path is longer
// than the screen is wide (a CI's clone can be, and the page once overflowed there only).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandoff, signedInState, WAIT } from './support/agent.js';
import { newPage } from './support/browser.js';
import { repoRoot } from './support/lotse-server.js';
import { useLotseSuite } from './support/suite.js';

const checkout = mkdtempSync(path.join(tmpdir(), 'lotse-reflow-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

const suite = useLotseSuite(() => {
  const longDir = path.join(checkout, 'aCheckoutDirectoryWhoseNameIsWiderThanAPhoneScreen');
  mkdirSync(longDir);
  symlinkSync(path.join(repoRoot, 'examples'), path.join(longDir, 'examples'));
  return { LOTSE_SITE_FILES: path.join(longDir, 'examples/site.json') };
});

/** Pages an agent or admin opens, without a conversation of their own. */
const paths = [
  '/inbox/',
  '/inbox/mentions',
  '/inbox/snippets',
  '/dashboard/',
  '/dashboard/team',
  '/scorecards/',
  '/scorecards/new',
  '/scorecards/queue',
  '/scorecards/mine',
  '/scorecards/team',
  '/scorecards/calibration',
  '/admin/',
  '/admin/kb/',
  '/admin/kb/demo/',
  '/admin/kb/demo/versions',
];

describe.each(['de', 'en'] as const)('agent pages at 320 px (%s)', (locale) => {
  it('never scroll sideways', async () => {
    const ticket = await createHandoff(
      suite.lotse.origin,
      `reflow-${locale}@example.com`,
      'Wo bleibt meine Bestellung?',
    );
    const page = await newPage(suite.browser, locale, {
      viewport: { width: 320, height: 640 },
      storageState: await signedInState(suite.browser, suite.lotse.origin),
    });
    await page.goto(`${suite.lotse.origin}/inbox/?lang=${locale}`);
    const href = await page.getByRole('link', { name: ticket, exact: true }).getAttribute('href');
    const wide: string[] = [];
    for (const path of [...paths, href!]) {
      await page.goto(
        `${suite.lotse.origin}${path}${path.includes('?') ? '&' : '?'}lang=${locale}`,
      );
      await page.getByRole('heading', { level: 1 }).first().waitFor(WAIT);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) wide.push(`${path}: ${width} px`);
    }
    expect(wide).toEqual([]);
    await page.context().close();
  });
});
