// axe-core (WCAG 2.2 AA) in every state of the panel and of the agent pages, German and English, on
// a desktop (1366×900) and a phone (390×844, touch). The states are walked in order on one page per
// locale and viewport (one server and one Chromium for the file), so the whole file stays within a
// few minutes on a loaded 2-core machine.
import { createClient } from '@lotse/sdk';
import type { Browser, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages } from '../../packages/widget/src/i18n/conversation-messages.js';
import { panelMessages } from '../../packages/widget/src/i18n/panel-messages.js';
import { invite } from './support/accounts.js';
import { agentTexts, openConversation, replyAndClose, signIn, WAIT } from './support/agent.js';
import { eventually, launcher, newPage, panelFrame, runAxe } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

type Locale = 'de' | 'en';
type Size = 'desktop' | 'phone';

const sizes: Record<Size, BrowserContextOptions> = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

/** Questions whose triage outcome the walk relies on (the demo knowledge base, examples/kb-shop). */
const questions = {
  de: {
    partial: 'Rücksendeetik',
    standard: 'Wie bekomme ich ein Rücksendeetikett?',
    /** Answered from entries without links. */
    plain: [
      'Wie lange dauert der Versand?',
      'Rechnung herunterladen',
      'Gutscheincode funktioniert nicht',
      'Wie lange dauert die Erstattung?',
      'Kann ich die Größe umtauschen?',
    ],
    vague: ['Paket', 'Bestellung'],
    outOfScope: 'Wie koche ich Spaghetti Carbonara?',
  },
  en: {
    partial: 'return lab',
    standard: 'How do I get a return label?',
    /** Answered from entries without links. */
    plain: [
      'How long does delivery take?',
      'Download an invoice',
      "Voucher code doesn't work",
      'How long does a refund take?',
      'Can I exchange for another size?',
    ],
    vague: ['package'],
    outOfScope: 'How do I cook spaghetti carbonara?',
  },
} as const;

const combinations = [
  ['de', 'desktop'],
  ['en', 'desktop'],
  ['de', 'phone'],
  ['en', 'phone'],
] as const satisfies readonly (readonly [Locale, Size])[];

/** Fails with the state's name and every violation axe found there. */
async function expectNoViolations(target: Page | Frame, state: string): Promise<void> {
  expect(await runAxe(target), state).toEqual([]);
}

/** Whether the panel's conversation area has more content than it shows. */
const bodyScrolls = (frame: Frame) =>
  frame.locator('.body').evaluate((el) => el.scrollHeight > el.clientHeight);

async function openPanel(page: Page, locale: Locale): Promise<Frame> {
  await launcher(page, locale).click();
  const frame = await panelFrame(page, locale);
  await frame.locator('.panel[data-state="ready"]').waitFor(WAIT);
  return frame;
}

/** Asks in the question box and waits until the bot has said one more thing. */
async function ask(frame: Frame, locale: Locale, text: string): Promise<void> {
  const bot = frame.locator('.log .msg.bot');
  const before = await bot.count();
  const box = frame.getByRole('combobox', { name: panelMessages[locale].question });
  await box.fill(text);
  await box.press('Enter');
  await expect.poll(() => bot.count(), WAIT).toBeGreaterThan(before);
}

/** The conversation token the panel keeps on its own origin (localStorage or partitioned cookie). */
function storedToken(frame: Frame): Promise<string | undefined> {
  return frame.evaluate(() => {
    const key = 'lotse:demo:conversations';
    let raw: string | null | undefined;
    try {
      raw = localStorage.getItem(key);
    } catch {
      const prefix = `${encodeURIComponent(key)}=`;
      const pair = document.cookie.split('; ').find((p) => p.startsWith(prefix));
      raw = pair && decodeURIComponent(pair.slice(prefix.length));
    }
    return JSON.parse(raw ?? '[]')[0]?.token as string | undefined;
  });
}

// One sign-in for the file: the login limit counts attempts per account and client.
type StorageState = NonNullable<BrowserContextOptions['storageState']>;
let agentState: Promise<StorageState> | undefined;
function signedIn(browser: Browser): Promise<StorageState> {
  agentState ??= (async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, suite.lotse.origin, 'en');
    const state = await page.context().storageState();
    await page.context().close();
    return state;
  })();
  return agentState;
}

async function agentPage(locale: Locale, size: Size, signedInAgent = true): Promise<Page> {
  return newPage(suite.browser, locale, {
    bypassCSP: true,
    ...sizes[size],
    ...(signedInAgent ? { storageState: await signedIn(suite.browser) } : {}),
  });
}

/** Loads an agent page, waits for `ready` and checks it; the page stays open for more states. */
async function checkAgentPage(
  page: Page,
  path: string,
  state: string,
  ready: string,
): Promise<void> {
  await page.goto(`${suite.lotse.origin}${path}`);
  await page.getByRole('heading', { level: 1, name: ready }).first().waitFor(WAIT);
  await expectNoViolations(page, state);
}

/** A handoff through the SDK, as a shop's back end would create it. */
async function sdkHandoff(email: string, message: string): Promise<string> {
  const client = createClient({ endpoint: suite.lotse.origin, siteKey: 'demo' });
  try {
    const reply = await client.createHandoff({
      email,
      consent: true,
      message,
      transcript: [],
      classification: { level: 2, signals: ['wants-human'], confidence: 0.5, reasons: ['e2e'] },
      locale: 'de',
    });
    return reply.ticketId;
  } finally {
    await client.close();
  }
}

// Before any visitor has written: the agent pages' empty states.
describe.each(combinations)('agent pages, empty (%s, %s)', (locale, size) => {
  const t = agentTexts[locale];

  it('login, login with an error, empty inbox, empty dashboard, administration, an error page', async () => {
    const login = await agentPage(locale, size, false);
    await login.goto(`${suite.lotse.origin}/login`);
    await login.getByRole('button', { name: t.signIn, exact: true }).waitFor(WAIT);
    await expectNoViolations(login, 'login');
    // A made-up account: the error state without spending the admin's login attempts.
    await login.getByLabel(t.email, { exact: true }).fill(`nobody-${locale}-${size}@example.com`);
    await login.getByLabel(t.password, { exact: true }).fill('wrong password');
    await login.getByRole('button', { name: t.signIn, exact: true }).click();
    await login.getByRole('alert').waitFor(WAIT);
    await expectNoViolations(login, 'login with an error');
    await login.context().close();

    const page = await agentPage(locale, size);
    await checkAgentPage(page, '/inbox/', 'inbox, empty', t.inbox);
    await page.goto(`${suite.lotse.origin}/dashboard/`);
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    await expectNoViolations(page, 'dashboard, empty');
    await checkAgentPage(page, '/admin/', 'administration', t.admin);
    // A stale link: the error page, in the agent's language.
    await checkAgentPage(page, '/inbox/c/gone', 'error page', t.errorTitle);
    await page.getByRole('alert').waitFor(WAIT);
    await page.context().close();
  });
});

describe.each(combinations)('panel (%s, %s)', (locale, size) => {
  const t = { ...panelMessages[locale], ...conversationMessages[locale] };
  const q = questions[locale];

  it('every state from the first question to the surveys', async () => {
    const page = await newPage(suite.browser, locale, { bypassCSP: true, ...sizes[size] });
    await page.goto(await routeHostPage(page, suite.lotse.origin, { lang: locale }));
    await launcher(page, locale).waitFor(WAIT);
    await expectNoViolations(page, 'host page with the launcher');
    const frame = await openPanel(page, locale);
    await expectNoViolations(frame, 'empty');

    const box = frame.getByRole('combobox', { name: t.question });
    await box.pressSequentially(q.partial);
    await frame.getByRole('option').first().waitFor(WAIT);
    await expectNoViolations(frame, 'suggestions open');
    await box.fill('');

    // Answers without links, rated "yes": once the conversation scrolls, nothing in it can take
    // focus but the scrolling area itself (the state in which axe once found it unreachable).
    const [first, ...more] = q.plain;
    await ask(frame, locale, first);
    const rating = frame.getByRole('group', { name: t.helpful });
    await rating.waitFor(WAIT);
    await expectNoViolations(frame, 'answer');
    await rating.getByRole('button', { name: t.yes, exact: true }).click();
    await frame.getByText(t.thanksYes).last().waitFor(WAIT);
    await expectNoViolations(frame, 'rated yes');
    for (const question of more) {
      await ask(frame, locale, question);
      await rating.waitFor(WAIT);
      if (await bodyScrolls(frame)) break;
    }
    expect(await bodyScrolls(frame), 'the conversation scrolls').toBe(true);
    await expectNoViolations(frame, 'answer, scrolling');
    await rating.getByRole('button', { name: t.yes, exact: true }).click();
    await rating.waitFor({ state: 'detached', ...WAIT });
    expect(await frame.locator('.body :is(a, button, input, textarea)').count()).toBe(0);
    await expectNoViolations(frame, 'rated yes, scrolling');

    await ask(frame, locale, q.standard);
    await rating.getByRole('button', { name: t.no, exact: true }).click();
    await frame.getByText(t.sorryNo).or(frame.getByText(t.noAnswer)).last().waitFor(WAIT);
    await expectNoViolations(frame, 'rated no');

    // A vague word: "Did you mean …" (the first the knowledge base finds ambiguous).
    const alternatives = frame.getByRole('list', { name: t.didYouMean });
    for (const word of q.vague) {
      await ask(frame, locale, word);
      if ((await alternatives.count()) > 0) break;
    }
    await alternatives.waitFor(WAIT);
    const offered = await alternatives.getByRole('button').allTextContents();
    await expectNoViolations(frame, 'did you mean');

    await ask(frame, locale, q.outOfScope);
    await expectNoViolations(frame, 'out of scope');
    // Out of scope goes to a person (or, should triage only say it has no answer, the button does).
    const email = frame.getByRole('textbox', { name: t.email, exact: true });
    const person = frame.getByRole('button', { name: t.person });
    await email.or(person).first().waitFor(WAIT);
    if (!(await email.isVisible())) await person.click();
    await email.waitFor(WAIT);
    await expectNoViolations(frame, 'handoff form');
    await frame.getByRole('button', { name: t.send, exact: true }).click();
    await frame.locator('[aria-invalid="true"]').first().waitFor(WAIT);
    await expectNoViolations(frame, 'handoff form with errors');
    // A language switch from the host switches the errors on screen too, not just the labels.
    const other = locale === 'de' ? 'en' : 'de';
    const setLocale = (to: Locale) =>
      page.evaluate(
        (l) => (window as unknown as { Lotse: (...a: string[]) => void }).Lotse('setLocale', l),
        to,
      );
    await setLocale(other);
    await frame.getByText(panelMessages[other].invalidEmail).waitFor(WAIT);
    await setLocale(locale);
    await frame.getByText(t.invalidEmail).waitFor(WAIT);

    const visitorEmail = `states-${locale}-${size}@example.com`;
    await email.fill(visitorEmail);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: t.send, exact: true }).click();
    await frame.getByRole('heading', { name: t.sentTitle }).waitFor(WAIT);
    await expectNoViolations(frame, 'confirmation');
    await expectNoViolations(page, 'host page with the open panel');

    // The visitor writes a long thread (through the SDK with the panel's token), then reads it.
    const token = await storedToken(frame);
    expect(token, 'the panel keeps the conversation token').toBeDefined();
    const client = createClient({ endpoint: suite.lotse.origin, siteKey: 'demo' });
    try {
      for (let i = 1; i <= 12; i++) {
        await client.reply(
          token!,
          `${locale === 'de' ? 'Nachtrag' : 'Follow-up'} ${i}: ${q.standard}`,
        );
      }
    } finally {
      await client.close();
    }
    const [handedOff] = await eventually(
      () => suite.lotse.handoffs().filter((h) => h.email === visitorEmail),
      (rows) => rows.length === 1,
    );
    const ticketId = handedOff!.ticketId;
    // The agent reads which entries were offered, not only "Did you mean:".
    expect(handedOff!.transcript).toContainEqual(
      expect.objectContaining({
        from: 'bot',
        text: `${t.didYouMean} ${offered.map((o) => o.trim()).join(' · ')}`,
      }),
    );
    await frame.getByRole('button', { name: t.askAnother }).click();
    const request = frame.getByRole('button', { name: t.request.replace('{ticket}', ticketId) });
    await request.click();
    const log = frame.getByRole('log', { name: t.conversation.replace('{ticket}', ticketId) });
    await log.getByText(/12: /).waitFor(WAIT);
    expect(await bodyScrolls(frame), 'the thread scrolls').toBe(true);
    await expectNoViolations(frame, 'conversation with many messages');

    // The team answers and closes; the visitor comes back to the thread and the surveys.
    const agent = await agentPage(locale, size);
    await openConversation(agent, suite.lotse.origin, ticketId);
    await expectNoViolations(agent, 'inbox conversation with many messages');
    await replyAndClose(agent, locale, locale === 'de' ? 'Erledigt, danke!' : 'Done, thank you!');
    await expectNoViolations(agent, 'inbox conversation, closed');
    await agent.context().close();

    await frame.getByRole('button', { name: t.back }).click();
    await request.click();
    const csat = frame.getByRole('group', { name: t.csat });
    await csat.waitFor(WAIT);
    await expectNoViolations(frame, 'CSAT');
    await frame.getByRole('button', { name: t.sendRating }).click();
    await frame.getByRole('alert').getByText(t.chooseValue).waitFor(WAIT);
    await expectNoViolations(frame, 'CSAT without a choice');
    await csat.getByRole('radio', { name: '4', exact: true }).check();
    await frame.getByRole('button', { name: t.sendRating }).click();
    const ces = frame.getByRole('group', { name: t.ces });
    await ces.waitFor(WAIT);
    await expectNoViolations(frame, 'CES');
    await frame.getByRole('button', { name: t.skip }).click();
    const nps = frame.getByRole('group', { name: t.nps });
    await nps.waitFor(WAIT);
    await expectNoViolations(frame, 'NPS');
    await nps.getByRole('radio', { name: '9', exact: true }).check();
    await frame.getByRole('button', { name: t.sendRating }).click();
    await frame.getByRole('status').getByText(t.thanksRating).waitFor(WAIT);
    await expectNoViolations(frame, 'surveys done');
    await page.context().close();
  });

  it('after hours: the promise under the person button and in the confirmation', async () => {
    const page = await newPage(suite.browser, locale, { bypassCSP: true, ...sizes[size] });
    const nextOpening = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString();
    await page.route(`${suite.lotse.origin}/v1/sites/demo/widget.json`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          collectUnanswered: false,
          hours: { openNow: false, nextOpening, timeZone: 'Europe/Berlin' },
        }),
      }),
    );
    await page.goto(await routeHostPage(page, suite.lotse.origin, { lang: locale }));
    const frame = await openPanel(page, locale);
    const person = frame.getByRole('button', { name: t.person });
    await expect
      .poll(() => person.getAttribute('aria-describedby'), WAIT)
      .toBe('lotse-after-hours');
    await expectNoViolations(frame, 'after hours');
    await person.click();
    await frame
      .getByRole('textbox', { name: t.email, exact: true })
      .fill(`late-${locale}-${size}@example.com`);
    await frame.getByRole('textbox', { name: t.message, exact: true }).fill(q.standard);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: t.send, exact: true }).click();
    await frame.getByRole('heading', { name: t.sentTitle }).waitFor(WAIT);
    await expectNoViolations(frame, 'after hours, confirmation');
    await page.context().close();
  });
});

// After the visitors above: the agent pages with content.
describe('agent pages, full', () => {
  beforeAll(async () => {
    // Enough conversations that the inbox list is longer than a phone's screen.
    for (let i = 0; i < 12; i++) {
      await sdkHandoff(
        `full-${i}@example.com`,
        `Frage ${i}: <b>Paket</b> & "Rechnung" – bitte melden`,
      );
    }
  });

  it.each(combinations)('inbox and dashboard with content (%s, %s)', async (locale, size) => {
    const t = agentTexts[locale];
    const page = await agentPage(locale, size);
    await checkAgentPage(page, '/inbox/', 'inbox, full', t.inbox);
    await expect(page.locator('tbody tr').count()).resolves.toBeGreaterThan(10);
    await page.goto(`${suite.lotse.origin}/dashboard/`);
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    await expectNoViolations(page, 'dashboard, full');
    await page.goto(`${suite.lotse.origin}/dashboard/?topic=nothing-here`);
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    await expectNoViolations(page, 'dashboard, filtered to nothing');
    await page.goto(`${suite.lotse.origin}/admin/`);
    await page.getByRole('heading', { level: 1, name: t.admin }).waitFor(WAIT);
    await page.getByLabel(t.email, { exact: true }).fill(`invitee-${locale}-${size}@example.com`);
    await page.getByRole('button', { name: locale === 'de' ? 'Einladen' : 'Invite' }).click();
    await page.getByRole('status').waitFor(WAIT);
    await expectNoViolations(page, 'administration with an invitation link');
    // Another agent's row has its role and deactivation controls; deactivated, its status and link.
    const colleague = `colleague-${locale}-${size}@example.com`;
    await invite(page, suite.lotse.origin, locale, colleague, 'agent');
    await page.goto(`${suite.lotse.origin}/admin/`);
    const deactivate = page.getByRole('button', {
      name: `${locale === 'de' ? 'Deaktivieren' : 'Deactivate'} ${colleague}`,
    });
    await deactivate.waitFor(WAIT);
    await expectNoViolations(page, 'administration with a colleague');
    // The row's wide controls scroll inside the table, never the page (WCAG 1.4.10): hidden labels
    // positioned outside the scroll box once widened a phone's page to 935 px.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(sizes[size].viewport!.width);
    await deactivate.click();
    await page
      .getByRole('button', {
        name: `${locale === 'de' ? 'Wieder aktivieren' : 'Reactivate'} ${colleague}`,
      })
      .waitFor(WAIT);
    await expectNoViolations(page, 'administration with a deactivated colleague');
    await page.context().close();
  });
});
