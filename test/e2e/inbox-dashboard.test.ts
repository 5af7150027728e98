// The agent's side in Chromium (issue 6): a visitor hands off through the widget, an agent signs in,
// answers and closes in the inbox, the visitor's e-mail reaches a test SMTP server, and the dashboard's
// FRT and CSAT move; the agent pages are axe-clean in German and English, on a desktop and a phone,
// and the sign-in → reply → close path works by keyboard alone.
import { createClient, type LotseClient } from '@lotse/sdk';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from './inbox-support/smtp.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  agentTexts,
  figure,
  openConversation,
  replyAndClose,
  signIn as signInAt,
  WAIT,
} from './support/agent.js';
import { eventually, launcher, newPage, panelFrame, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const texts = agentTexts;

// The SMTP server starts first (hooks run in order); Lotse then gets its URL.
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
});
const suite = useLotseSuite(() => ({ LOTSE_SMTP_URL: smtp.url }));

/** An SDK client in Node, as a shop's back end would use it (no `Origin`). */
function sdkClient(): LotseClient {
  return createClient({ endpoint: suite.lotse.origin, siteKey: 'demo' });
}

/** A handoff created through the SDK (for the suites that need one without the widget). */
async function sdkHandoff(email: string, message: string): Promise<string> {
  const client = sdkClient();
  try {
    const reply = await client.createHandoff({
      email,
      consent: true,
      message,
      transcript: [],
      classification: {
        level: 2,
        topic: 'shipping',
        signals: ['wants-human'],
        confidence: 0.42,
        reasons: ['Der Besucher möchte mit einem Menschen sprechen.'],
      },
      locale: 'de',
    });
    return reply.ticketId;
  } finally {
    await client.close();
  }
}

/** Signs in to this suite's server. */
const signIn = (page: Page, locale: 'de' | 'en') => signInAt(page, suite.lotse.origin, locale);

// One sign-in shared by the accessibility checks (the login limit allows 5 per account and 15 min).
type StorageState = NonNullable<BrowserContextOptions['storageState']>;
let sessionState: Promise<StorageState> | undefined;
function signedInState(browser: Browser): Promise<StorageState> {
  sessionState ??= (async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, 'en');
    const state = await page.context().storageState();
    await page.context().close();
    return state;
  })();
  return sessionState;
}

/** Presses Tab until `target` has the focus (keyboard only); fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await target.waitFor(WAIT);
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      // The focus must be visible (WCAG 2.4.7): our :focus-visible outline.
      const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(outline).not.toBe('none');
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

describe('without a session', () => {
  it.each(['/inbox/', '/dashboard/', '/admin/'])('%s redirects to the login form', async (path) => {
    const page = await newPage(suite.browser, 'de');
    const response = await page.goto(`${suite.lotse.origin}${path}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(path);
    expect(response?.status()).toBe(200);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor(WAIT);
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    await page.context().close();
  });
});

describe('an agent answers a handoff from the widget', () => {
  it('signs in, replies and closes; the visitor is mailed; FRT and CSAT move on the dashboard', async () => {
    const t = texts.de;
    // The visitor, on the German demo shop.
    const visitor = await newPage(suite.browser, 'de');
    await visitor.goto(`${suite.lotse.origin.replace('127.0.0.1', 'localhost')}/demo/`);
    await launcher(visitor, 'de').click();
    const frame = await panelFrame(visitor, 'de');
    const question = 'Mein Paket kam beschädigt an, der Karton war aufgerissen';
    const box = frame.getByRole('combobox', { name: 'Ihre Frage' });
    await box.fill(question);
    await box.press('Enter');
    const visitorEmail = 'eva.visitor@example.com';
    await frame.getByRole('textbox', { name: 'E-Mail' }).fill(visitorEmail);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: 'Senden' }).click();
    await frame.getByText(/innerhalb von \d+ (Minuten?|Stunden?|Werktag(en)?)/).waitFor(WAIT);
    const handoffs = await eventually(
      () => suite.lotse.handoffs().filter((h) => h.email === visitorEmail),
      (rows) => rows.length === 1,
    );
    const ticketId = handoffs[0]!.ticketId;

    // The agent signs in and looks at the dashboard first: no reply yet, no CSAT yet.
    const agent = await newPage(suite.browser, 'de');
    await signIn(agent, 'de');
    await agent.goto(`${suite.lotse.origin}/dashboard/`);
    const frtBefore = (await figure(agent, t.frt).textContent()) ?? '';
    const csatBefore = (await figure(agent, 'CSAT').textContent()) ?? '';
    expect(csatBefore).toContain('n = 0');

    // The handoff is in the inbox; its page shows the triage reasons and the topic's playbook.
    await openConversation(agent, suite.lotse.origin, ticketId);
    await agent.getByRole('heading', { level: 1, name: new RegExp(ticketId) }).waitFor(WAIT);
    await expect(
      agent.getByRole('list', { name: t.transcript }).getByText(question).count(),
    ).resolves.toBeGreaterThan(0);
    const reasons = agent.getByRole('region', { name: t.reasons });
    await expect(reasons.getByRole('listitem').count()).resolves.toBeGreaterThan(0);
    const playbook = agent.getByRole('region', { name: t.playbook });
    await expect(playbook.getByRole('listitem').count()).resolves.toBeGreaterThan(0);

    // Reply, then close.
    const replyText = `Hallo Eva, wir schicken Ersatz. Ticket ${ticketId}`;
    await replyAndClose(agent, 'de', replyText);
    await expect(agent.getByText(t.closed, { exact: true }).count()).resolves.toBeGreaterThan(0);

    // The visitor's e-mail arrives at the test SMTP server.
    const mails = await eventually(
      () => smtp.mails.filter((m) => m.to.includes(visitorEmail)),
      (found) => found.length > 0,
      30_000,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.data).toContain(ticketId);
    expect(mails[0]!.data).toContain('wir schicken Ersatz');

    // The reply and the close reached the metrics as events.
    const events = await eventually(
      () => suite.lotse.events().filter((e) => e.props.ticketId === ticketId),
      (rows) => rows.some((e) => e.type === 'conversation.closed'),
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['handoff.created', 'agent.replied', 'conversation.closed']),
    );

    // FRT now has a value.
    // The server derives the figures in the background: reload until they have landed.
    const dashboardFigure = async (name: string) => {
      await agent.goto(`${suite.lotse.origin}/dashboard/`);
      return (await figure(agent, name).textContent()) ?? '';
    };
    await expect.poll(() => dashboardFigure(t.frt)).toMatch(/\d+[.,]\d min/);
    expect(await dashboardFigure(t.frt)).not.toBe(frtBefore);

    // CSAT answers sent through the SDK (in Node) with the conversation's token, which the panel
    // keeps in its storage, change the dashboard's CSAT (without the token they would not count).
    const token = await frame.evaluate(
      (ticket) =>
        (
          JSON.parse(localStorage.getItem('lotse:demo:conversations') ?? '[]') as {
            token: string;
            ticketId: string;
          }[]
        ).find((c) => c.ticketId === ticket)?.token ?? '',
      ticketId,
    );
    const client = sdkClient();
    await client.rateConversation(token, 'csat.submitted', { score: 5, conversationId: ticketId });
    // One CSAT a conversation: a second answer is a duplicate and moves nothing.
    await client.rateConversation(token, 'csat.submitted', { score: 2, conversationId: ticketId });
    await client.close();
    await expect.poll(() => dashboardFigure('CSAT')).toMatch(/100[.,]0 %.*n = 1/);
    expect(await dashboardFigure('CSAT')).not.toBe(csatBefore);

    await visitor.context().close();
    await agent.context().close();
  });
});

describe('keyboard only', () => {
  it('signs in, opens a conversation, replies and closes without a pointer', async () => {
    const t = texts.de;
    const ticketId = await sdkHandoff(
      'kim.keys@example.com',
      'Wo bleibt mein Paket? Bitte melden.',
    );
    const page = await newPage(suite.browser, 'de');
    await page.goto(`${suite.lotse.origin}/login`);

    await tabTo(page, page.getByLabel(t.email, { exact: true }));
    await page.keyboard.type(ADMIN_EMAIL);
    await tabTo(page, page.getByLabel(t.password, { exact: true }), 2);
    await page.keyboard.type(ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(/\/inbox\/$/, WAIT), page.keyboard.press('Enter')]);

    await tabTo(page, page.getByRole('link', { name: ticketId, exact: true }));
    await Promise.all([page.waitForURL(/\/inbox\/c\//, WAIT), page.keyboard.press('Enter')]);

    const replyText = 'Ihr Paket ist unterwegs und kommt morgen an.';
    await tabTo(page, page.getByRole('textbox', { name: t.reply, exact: true }));
    await page.keyboard.type(replyText);
    await tabTo(page, page.getByRole('button', { name: t.sendReply }), 3);
    // Pressed on the focused button, so the press waits for the page the post leads to (the old
    // page's live script may already show the reply).
    await page.getByRole('button', { name: t.sendReply }).press('Enter');
    await page.getByRole('list', { name: t.transcript }).getByText(replyText).waitFor(WAIT);

    await tabTo(page, page.getByRole('button', { name: t.close, exact: true }));
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: t.reopen, exact: true }).waitFor(WAIT);
    const events = await eventually(
      () => suite.lotse.events().filter((e) => e.props.ticketId === ticketId),
      (rows) => rows.some((e) => e.type === 'conversation.closed'),
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['agent.replied', 'conversation.closed']),
    );
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
] as const)('accessibility (%s, %s)', (locale, size) => {
  let conversationPath = '';
  beforeAll(async () => {
    const ticketId = await sdkHandoff(
      `axe-${locale}-${size}@example.com`,
      'Ich möchte mit einem Menschen sprechen <b>bitte</b> & danke',
    );
    const page = await newPage(suite.browser, locale, {
      storageState: await signedInState(suite.browser),
    });
    await page.goto(`${suite.lotse.origin}/inbox/`);
    conversationPath =
      (await page.getByRole('link', { name: ticketId, exact: true }).getAttribute('href')) ?? '';
    expect(conversationPath).toMatch(/^\/inbox\/c\//);
    // The conversation is checked with an internal note and tags in it.
    await page.goto(`${suite.lotse.origin}${conversationPath}`);
    const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
    for (const [path, form] of [
      ['note', { _csrf: csrf, text: 'Rückruf morgen früh, Kunde ist verärgert.' }],
      ['tags', { _csrf: csrf, tags: 'rückruf, vip' }],
    ] as const) {
      const posted = await page.request.post(`${suite.lotse.origin}${conversationPath}/${path}`, {
        form,
        maxRedirects: 0,
      });
      expect(posted.status()).toBe(303);
    }
    await page.context().close();
  });

  async function check(path: string, signedIn: boolean, ready: (page: Page) => Locator) {
    const page = await newPage(suite.browser, locale, {
      bypassCSP: true,
      viewport: viewports[size],
      ...(signedIn ? { storageState: await signedInState(suite.browser) } : {}),
    });
    await page.goto(`${suite.lotse.origin}${path}`);
    await ready(page).waitFor(WAIT);
    expect(await page.locator('html').getAttribute('lang')).toBe(locale);
    const violations = await runAxe(page);
    expect(violations).toEqual([]);
    // Usable on a phone: nothing but the tables (which scroll in their own box) is wider than the screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  }

  it('login', () =>
    check('/login', false, (page) =>
      page.getByRole('button', { name: texts[locale].signIn, exact: true }),
    ));

  it('inbox list', () =>
    check('/inbox/', true, (page) =>
      page.getByRole('heading', { level: 1, name: texts[locale].inbox }),
    ));

  it('conversation', () =>
    check(conversationPath, true, (page) =>
      page.getByRole('button', { name: texts[locale].sendReply }),
    ));

  it('dashboard', () =>
    check('/dashboard/', true, (page) => page.getByRole('heading', { level: 1 })));

  it('administration', () =>
    check('/admin/', true, (page) =>
      page.getByRole('heading', { level: 1, name: texts[locale].admin }),
    ));
});
