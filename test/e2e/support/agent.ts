// The agent's side for browser suites: handoffs to work on, signing in to the real inbox,
// answering and closing a conversation there, and reading the dashboard's figures.
import { createClient } from '@lotse/sdk';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { newPage } from './browser.js';

// The first admin as support/lotse-server.ts creates it (LOTSE_ADMIN_EMAIL / LOTSE_ADMIN_PASSWORD).
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-not-secret';

/** Generous: the suites run beside other work on a 2-core machine. */
export const WAIT = { timeout: 30_000 };

/** The inbox's, dashboard's and admin's words the suites look for. */
export const agentTexts = {
  de: {
    email: 'E-Mail',
    password: 'Passwort',
    signIn: 'Anmelden',
    inbox: 'Posteingang',
    transcript: 'Verlauf',
    reasons: 'Gründe der Einstufung',
    playbook: 'Vorgehen',
    reply: 'Antwort',
    sendReply: 'Antwort senden',
    close: 'Schließen',
    reopen: 'Wieder öffnen',
    closed: 'geschlossen',
    frt: 'Erste Antwort (Median / p90)',
    admin: 'Verwaltung',
    errorTitle: 'Das hat nicht geklappt',
  },
  en: {
    email: 'Email',
    password: 'Password',
    signIn: 'Sign in',
    inbox: 'Inbox',
    transcript: 'Transcript',
    reasons: 'Triage reasons',
    playbook: 'Playbook',
    reply: 'Reply',
    sendReply: 'Send reply',
    close: 'Close',
    reopen: 'Reopen',
    closed: 'closed',
    frt: 'First response (median / p90)',
    admin: 'Administration',
    errorTitle: 'That did not work',
  },
} as const;

/** Signs in through the login form with the mouse; ends on the inbox. */
export async function signIn(page: Page, origin: string, locale: 'de' | 'en'): Promise<void> {
  const t = agentTexts[locale];
  await page.goto(`${origin}/login`);
  await page.getByLabel(t.email, { exact: true }).fill(ADMIN_EMAIL);
  await page.getByLabel(t.password, { exact: true }).fill(ADMIN_PASSWORD);
  await Promise.all([
    page.waitForURL(/\/inbox\/$/, WAIT),
    page.getByRole('button', { name: t.signIn, exact: true }).click(),
  ]);
}

/** Opens the ticket's conversation from the inbox list. */
export async function openConversation(
  page: Page,
  origin: string,
  ticketId: string,
): Promise<void> {
  await page.goto(`${origin}/inbox/`);
  await Promise.all([
    page.waitForURL(/\/inbox\/c\//, WAIT),
    page.getByRole('link', { name: ticketId, exact: true }).click(),
  ]);
}

/** On an open conversation's page: sends `text` as the reply, then closes the conversation. */
export async function replyAndClose(page: Page, locale: 'de' | 'en', text: string): Promise<void> {
  const t = agentTexts[locale];
  await page.getByRole('textbox', { name: t.reply, exact: true }).fill(text);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
    page.getByRole('button', { name: t.sendReply }).click(),
  ]);
  await page.getByRole('list', { name: t.transcript }).getByText(text).waitFor(WAIT);
  await page.getByRole('button', { name: t.close, exact: true }).click();
  await page.getByRole('button', { name: t.reopen, exact: true }).waitFor(WAIT);
}

/** The value cell of a dashboard figure, by the text of its row header. */
export function figure(page: Page, name: string): Locator {
  return page
    .locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) })
    .locator('td');
}

/** The dashboard's counts the whole-loop checks compare, from its JSON (the signed-in session's). */
export interface DashboardCounts {
  /** Conversations with a first agent reply (the FRT sample). */
  frt: number;
  csat: number;
}

/** Reads {@link DashboardCounts} of the demo site through the agent's session. */
export async function dashboardCounts(page: Page, origin: string): Promise<DashboardCounts> {
  const response = await page.request.get(`${origin}/dashboard/api/metrics?site=demo`);
  if (!response.ok()) throw new Error(`dashboard metrics: ${response.status()}`);
  const m = (await response.json()) as {
    firstResponseTime: { calendar: { count: number } };
    csat: { responses: number };
  };
  return { frt: m.firstResponseTime.calendar.count, csat: m.csat.responses };
}

/**
 * A handoff of site `demo` created through the SDK, as a shop's back end would (level 2, topic
 * shipping); returns its ticket id.
 */
export async function createHandoff(
  origin: string,
  email: string,
  message: string,
  locale = 'de',
): Promise<string> {
  const client = createClient({ endpoint: origin, siteKey: 'demo' });
  try {
    const reply = await client.createHandoff({
      email,
      consent: true,
      message,
      transcript: [],
      classification: {
        level: 2,
        topic: 'shipping',
        signals: [],
        confidence: 0.5,
        reasons: ['test'],
      },
      locale,
    });
    return reply.ticketId;
  } finally {
    await client.close();
  }
}

type StorageState = NonNullable<BrowserContextOptions['storageState']>;
const signIns = new Map<string, Promise<StorageState>>();

/**
 * The first admin's browser state after one sign-in per server, for a file's pages to share (the
 * login limit allows 5 sign-ins per account and 15 minutes).
 */
export function signedInState(browser: Browser, origin: string): Promise<StorageState> {
  let state = signIns.get(origin);
  if (state === undefined) {
    state = (async () => {
      const page = await newPage(browser, 'en');
      await signIn(page, origin, 'en');
      const s = await page.context().storageState();
      await page.context().close();
      return s;
    })();
    signIns.set(origin, state);
  }
  return state;
}
