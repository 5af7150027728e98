// Colleagues for browser suites: the owner invites an agent or a reviewer through the
// administration page, the invitee sets a password through the link, and signs in as itself.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { agentTexts, WAIT } from './agent.js';
import { newPage } from './browser.js';

/** The administration's and the invitation's words the helpers look for. */
const texts = {
  de: { role: 'Rolle', invite: 'Einladen', setPassword: 'Passwort festlegen' },
  en: { role: 'Role', invite: 'Invite', setPassword: 'Set password' },
} as const;

/** The password every invitee of these helpers sets. */
export const INVITEE_PASSWORD = 'ein langes Passwort';

/**
 * Signs in as `email` through the login form in a fresh context (each sign-in counts against the
 * login limit of 5 per account and 15 minutes); ends on the inbox.
 */
export async function signInAs(
  browser: Browser,
  origin: string,
  locale: 'de' | 'en',
  email: string,
  password: string,
  options: BrowserContextOptions = { bypassCSP: true },
): Promise<Page> {
  const t = agentTexts[locale];
  const page = await newPage(browser, locale, options);
  await page.goto(`${origin}/login`);
  await page.getByLabel(t.email, { exact: true }).fill(email);
  await page.getByLabel(t.password, { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL(/\/inbox\/$/, WAIT),
    page.getByRole('button', { name: t.signIn, exact: true }).click(),
  ]);
  return page;
}

/**
 * On the owner's signed-in `owner` page: invites `email` with `role`; the invitee, in a context of
 * its own, sets {@link INVITEE_PASSWORD} through the invitation link.
 */
export async function invite(
  owner: Page,
  origin: string,
  locale: 'de' | 'en',
  email: string,
  role: 'agent' | 'reviewer',
): Promise<void> {
  const t = texts[locale];
  await owner.goto(`${origin}/admin/`);
  await owner.getByLabel(agentTexts[locale].email, { exact: true }).fill(email);
  await owner.getByLabel(t.role, { exact: true }).selectOption(role);
  await owner.getByRole('button', { name: t.invite, exact: true }).click();
  const link = await owner.locator('code.invite-link').textContent(WAIT);
  const browser = owner.context().browser();
  if (browser === null) throw new Error('the owner page has no browser');
  const invitee = await newPage(browser, locale);
  await invitee.goto(String(link));
  await invitee.getByLabel(agentTexts[locale].password, { exact: true }).fill(INVITEE_PASSWORD);
  await invitee.getByRole('button', { name: t.setPassword }).click();
  await invitee.getByRole('link', { name: agentTexts[locale].signIn }).waitFor(WAIT);
  await invitee.context().close();
}
