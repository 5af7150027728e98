// The dashboard's team view (issue 15) in a real browser, German and English: reached from the
// dashboard by keyboard, its period changed by keyboard without script, every figure's definition
// shown, and axe-core (WCAG 2.2 AA) without violations.
import { describe, expect, it } from 'vitest';
import { signIn, WAIT } from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    teamView: 'Teamzahlen',
    from: 'Von',
    show: 'Anzeigen',
    handled: 'Bearbeitete Gespräche',
    definitions: 'Definitionen',
  },
  en: {
    teamView: 'Team figures',
    from: 'From',
    show: 'Show',
    handled: 'Conversations handled',
    definitions: 'Definitions',
  },
} as const;

describe.each(['de', 'en'] as const)('team view (%s)', (locale) => {
  const t = texts[locale];

  it('is reached and filtered by keyboard and has no axe violations', async () => {
    const page = await newPage(suite.browser, locale, { bypassCSP: true });
    await signIn(page, suite.lotse.origin, locale);
    await page.goto(`${suite.lotse.origin}/dashboard/`);
    const link = page.getByRole('link', { name: t.teamView, exact: true });
    await link.focus();
    await Promise.all([page.waitForURL(/\/dashboard\/team/, WAIT), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { level: 2, name: t.definitions }).waitFor(WAIT);
    expect(await page.getByRole('term').count()).toBe(18);
    expect(await page.getByRole('columnheader', { name: t.handled }).count()).toBeGreaterThan(0);
    expect(await runAxe(page), 'team view').toEqual([]);

    // The period by keyboard: type a date into "from", then submit the form with Enter.
    const from = page.getByLabel(t.from, { exact: true });
    await from.focus();
    await from.fill('2026-01-05');
    await Promise.all([page.waitForURL(/from=2026-01-05/, WAIT), from.press('Enter')]);
    expect(await page.getByLabel(t.from, { exact: true }).inputValue()).toBe('2026-01-05');
    expect(await runAxe(page), 'team view, another period').toEqual([]);
    await page.context().close();
  });
});
