import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  agentTexts,
  createHandoff,
  signedInState,
  signIn,
  WAIT,
} from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    draft: 'Guten Tag, wir haben den Ersatz heute verschickt.',
    signedOut: 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.',
    signInLink: 'Anmelden',
  },
  en: {
    draft: 'Hello, we sent the replacement today.',
    signedOut: 'You are signed out. Please sign in again.',
    signInLink: 'Sign in',
  },
} as const;

// BLNS (big-list-of-naughty-strings), "Unicode: Thai combining": one grapheme, no break opportunity.
// Its width depends on the fonts (the tester's phone: 912 px); without a Thai font each mark is a
// box of its own, so here its ten marks are repeated to make it wider than the phone for sure.
const THAI = `ด${'้้้้้็็็็็'.repeat(6)}`;

describe.each(['de', 'en'] as const)('the conversation page (%s)', (locale) => {
  const t = texts[locale];
  const a = agentTexts[locale];

  it('keeps a reply typed while the session ran out through sign-in, and drops it once stored', async () => {
    const ticket = await createHandoff(
      suite.lotse.origin,
      `draft-${locale}@example.com`,
      'Der Ersatz fehlt noch.',
    );
    const page = await newPage(suite.browser, locale);
    await signIn(page, suite.lotse.origin, locale);
    const link = page.getByRole('link', { name: ticket, exact: true });
    const path = await link.getAttribute('href');
    await Promise.all([page.waitForURL(/\/inbox\/c\//, WAIT), link.click()]);
    const box = page.getByRole('textbox', { name: a.reply, exact: true });
    await box.fill(t.draft);

    // The session cookie is gone (expired) before the agent sends.
    await page.context().clearCookies();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reply'), WAIT),
      page.getByRole('button', { name: a.sendReply }).click(),
    ]);
    expect(refused.status()).toBe(401);
    await page.getByRole('alert').getByText(t.signedOut).waitFor(WAIT);

    // The error page's sign-in leads back to the conversation, where the reply is still typed.
    await page.getByRole('link', { name: t.signInLink, exact: true }).last().click();
    await page.waitForURL(/\/login\?next=/, WAIT);
    expect(new URL(page.url()).searchParams.get('next')).toBe(path);
    await page.getByLabel(a.email, { exact: true }).fill(ADMIN_EMAIL);
    await page.getByLabel(a.password, { exact: true }).fill(ADMIN_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === path, WAIT),
      page.getByRole('button', { name: a.signIn, exact: true }).click(),
    ]);
    await expect.poll(() => box.inputValue(), WAIT).toBe(t.draft);

    // Sent and stored: the page shows it, the box is empty, and stays so on reload.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
      page.getByRole('button', { name: a.sendReply }).click(),
    ]);
    await page.getByRole('list', { name: a.transcript }).getByText(t.draft).waitFor(WAIT);
    expect(await box.inputValue()).toBe('');
    await page.reload();
    await page.getByRole('list', { name: a.transcript }).getByText(t.draft).waitFor(WAIT);
    expect(await box.inputValue()).toBe('');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  it('keeps a 390 px phone’s page within the screen with an unbreakable grapheme in a message', async () => {
    const ticket = await createHandoff(
      suite.lotse.origin,
      `thai-${locale}@example.com`,
      `${THAI} ${THAI}`,
      'th',
    );
    const page = await newPage(suite.browser, locale, {
      storageState: await signedInState(suite.browser, suite.lotse.origin),
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    await page.goto(`${suite.lotse.origin}/inbox/`);
    const link = page.getByRole('link', { name: ticket, exact: true });
    await link.waitFor(WAIT);
    const width = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
      }));
    // The list: only its table region scrolls.
    const list = await width();
    expect(list.page).toBeLessThanOrEqual(list.viewport);

    await Promise.all([page.waitForURL(/\/inbox\/c\//, WAIT), link.click()]);
    const message = page
      .getByRole('list', { name: a.transcript })
      .locator('p.msg[lang="th"]')
      .first();
    await message.waitFor(WAIT);
    const conversation = await width();
    expect(conversation.page).toBeLessThanOrEqual(conversation.viewport);
    // The grapheme is wider than the phone; its message scrolls within the screen, and a keyboard
    // reaches it to scroll it (WCAG 2.1.1).
    const box = await message.evaluate((el) => ({
      content: el.scrollWidth,
      shown: el.clientWidth,
      tabindex: el.getAttribute('tabindex'),
      right: el.getBoundingClientRect().right,
    }));
    expect(box.content).toBeGreaterThan(conversation.viewport);
    expect(box.shown).toBeLessThan(conversation.viewport);
    expect(box.right).toBeLessThanOrEqual(conversation.viewport);
    expect(box.tabindex).toBe('0');
    expect(await runAxe(page)).toEqual([]);
    await page.context().close();
  });
});
