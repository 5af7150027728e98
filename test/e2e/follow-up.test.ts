// The whole loop of a returning visitor, German and English, against the built widget and the real
// server: the visitor hands off, an agent replies and closes in the real inbox, the visitor comes back
// to a badge on the launcher, reads the reply, answers CSAT (and CES, NPS), and the dashboard's CSAT
// and FRT include it; then the visitor reopens and replies. The conversation token stays on the
// panel's origin. A signed-in visitor finds the same conversation on another device.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  dashboardCounts,
  figure,
  openConversation,
  replyAndClose,
  signIn,
} from './support/agent.js';
import { eventually, launcher, newPage, panelFrame, runAxe } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { repoRoot } from './support/lotse-server.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    question: 'Ihre Frage',
    level2: 'Mein Paket kam beschädigt an, der Karton war aufgerissen',
    email: 'E-Mail',
    message: 'Nachricht',
    send: 'Senden',
    promise: /innerhalb von \d+/,
    badge: 'Hilfe, 1 neue Antwort',
    request: /^Anfrage .+ – 1 neue Antwort$/,
    agentReply: 'Guten Tag, wir schicken Ihnen heute ein neues Zelt. Ihr Team von Nordlicht',
    csat: 'Wie zufrieden sind Sie mit unserer Hilfe?',
    ces: 'Wie einfach war es, Hilfe zu bekommen? (freiwillig)',
    nps: 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
    sendRating: 'Bewertung senden',
    skip: 'Überspringen',
    reopen: 'Anfrage wieder öffnen',
    yourReply: 'Ihre Antwort',
    sendReply: 'Antwort senden',
    visitorReply: 'Danke, das Paket ist angekommen!',
    person: 'Mit einem Menschen sprechen',
    afterHours: 'Wir antworten ab Montag, 9:00 Uhr',
  },
  en: {
    question: 'Your question',
    level2: 'My parcel arrived damaged, the box was torn open',
    email: 'Email',
    message: 'Message',
    send: 'Send',
    promise: /within \d+/,
    badge: 'Help, 1 new reply',
    request: /^Request .+ – 1 new reply$/,
    agentReply: 'Hello, we are sending you a new tent today. Your Nordlicht team',
    csat: 'How satisfied are you with our help?',
    ces: 'How easy was it to get help? (optional)',
    nps: 'How likely are you to recommend us?',
    sendRating: 'Send rating',
    skip: 'Skip',
    reopen: 'Reopen request',
    yourReply: 'Your reply',
    sendReply: 'Send reply',
    visitorReply: 'Thanks, the parcel has arrived!',
    person: 'Talk to a person',
    afterHours: 'We will reply from Monday, 9:00',
  },
} as const;

const suite = useLotseSuite();

function conversationRows(ticketId: string): { status: string; authors: string[] } {
  const db = new Database(path.join(suite.lotse.dataDir, 'lotse.db'), { readonly: true });
  try {
    const handoff = db
      .prepare('select id, status from handoffs where ticket_id = ?')
      .get(ticketId) as {
      id: string;
      status: string;
    };
    const rows = db
      .prepare('select author from messages where handoff_id = ? order by ts')
      .all(handoff.id) as { author: string }[];
    return { status: handoff.status, authors: rows.map((r) => r.author) };
  } finally {
    db.close();
  }
}

async function handOff(
  page: Page,
  locale: 'de' | 'en',
  email = `returning-${locale}@example.com`,
): Promise<{ frame: Frame; ticketId: string }> {
  const t = texts[locale];
  await launcher(page, locale).click();
  const frame = await panelFrame(page, locale);
  const box = frame.getByRole('combobox', { name: t.question });
  await box.fill(t.level2);
  await box.press('Enter');
  await frame.getByRole('textbox', { name: t.email }).fill(email);
  await frame.getByRole('checkbox').check();
  await frame.getByRole('button', { name: t.send }).click();
  await frame.getByText(t.promise).waitFor();
  const handoffs = await eventually(
    () => suite.lotse.handoffs(),
    (rows) => rows.some((row) => row.email === email),
  );
  const ticketId = handoffs.find((row) => row.email === email)?.ticketId;
  if (!ticketId) throw new Error('The handoff was not stored.');
  return { frame, ticketId };
}

/** Everything the host page can see: its URL, its storage, its cookies, the frames' src attributes. */
async function hostVisible(page: Page): Promise<string> {
  const inPage = await page.evaluate(() => {
    const frames: string[] = [];
    for (const host of document.querySelectorAll('lotse-widget')) {
      for (const frame of host.shadowRoot?.querySelectorAll('iframe') ?? []) frames.push(frame.src);
    }
    return JSON.stringify({
      url: location.href,
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
      cookies: document.cookie,
      frames,
    });
  });
  // Cookies the host can read are its own; the panel's partitioned cookies belong to the widget origin.
  const hostCookies = await page.context().cookies(page.url());
  return inPage + JSON.stringify(hostCookies);
}

describe.each(['de', 'en'] as const)('returning visitor (%s)', (locale) => {
  const t = texts[locale];

  it('hands off; the agent answers in the inbox; the visitor sees the badge and reply, rates, and the dashboard counts it', async () => {
    const page = await newPage(suite.browser, locale, { bypassCSP: true });
    const hostUrls: string[] = [];
    page.on('request', (request) => {
      if (request.frame() === page.mainFrame()) hostUrls.push(request.url());
    });
    const url = await routeHostPage(page, suite.lotse.origin, { lang: locale });
    await page.goto(url);
    const { frame, ticketId } = await handOff(page, locale);
    // Kept on the panel's origin: localStorage, or a partitioned cookie where the browser blocks
    // third-party storage (as this Chromium does).
    const token = await frame.evaluate(() => {
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
    expect(token?.length).toBeGreaterThanOrEqual(43); // 256 bits in base64url

    // An agent answers and closes in the inbox; the dashboard counts before the visitor rates.
    const agent = await newPage(suite.browser, locale);
    await signIn(agent, suite.lotse.origin, locale);
    const before = await dashboardCounts(agent, suite.lotse.origin);
    await openConversation(agent, suite.lotse.origin, ticketId);
    await replyAndClose(agent, locale, t.agentReply);

    // A later page load: the host flag (no token) lets the loader ask for replies before any click.
    await page.reload();
    const badged = page.getByRole('button', { name: t.badge, exact: true });
    await badged.waitFor();
    await expect(badged.getAttribute('aria-expanded')).resolves.toBe('false');
    await badged.click();
    const panel = await panelFrame(page, locale);
    await panel.getByRole('button', { name: t.request }).click();
    const log = panel.getByRole('log');
    await log.getByText(t.agentReply).waitFor();
    // Seen: the badge goes away.
    await page
      .getByRole('button', { name: locale === 'de' ? 'Hilfe' : 'Help', exact: true })
      .waitFor();
    expect(await runAxe(panel)).toEqual([]);

    // CSAT by keyboard: arrow keys move through the radio group.
    const csat = panel.getByRole('group', { name: t.csat });
    await csat.getByRole('radio', { name: '1', exact: true }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(csat.getByRole('radio', { name: '4', exact: true }).isChecked()).resolves.toBe(
      true,
    );
    expect(await runAxe(panel)).toEqual([]);
    await panel.getByRole('button', { name: t.sendRating }).click();
    const ces = panel.getByRole('group', { name: t.ces });
    await ces.waitFor();
    // Each survey sent takes the focus on to the next one, never to the page (WCAG 2.4.3).
    const focused = (locator: typeof ces) =>
      locator.evaluate((el) => el === document.activeElement);
    await expect.poll(() => focused(ces.getByRole('radio').first())).toBe(true);
    await panel.getByRole('button', { name: t.skip }).click();
    // First survey on this device: NPS is due.
    const nps = panel.getByRole('group', { name: t.nps });
    await nps.getByRole('radio', { name: '9', exact: true }).check();
    await panel.getByRole('button', { name: t.sendRating }).click();
    await nps.waitFor({ state: 'detached' });
    await expect.poll(() => focused(panel.getByRole('heading', { level: 2 }))).toBe(true);

    const events = await eventually(
      () => suite.lotse.events(),
      (rows) =>
        rows.some((e) => e.type === 'csat.submitted' && e.props.conversationId === ticketId) &&
        rows.some((e) => e.type === 'nps.submitted'),
    );
    const csatEvent = events.find(
      (e) => e.type === 'csat.submitted' && e.props.conversationId === ticketId,
    );
    expect(csatEvent?.props.score).toBe(4);
    expect(events.some((e) => e.type === 'nps.submitted' && e.props.score === 9)).toBe(true);
    // The dashboard's FRT now includes the agent's reply, and its CSAT the visitor's answer (the
    // server derives its figures in the background, so they may land a moment after the events).
    await expect
      .poll(() => dashboardCounts(agent, suite.lotse.origin))
      .toEqual({ frt: before.frt + 1, csat: before.csat + 1 });
    await expect
      .poll(async () => {
        await agent.goto(`${suite.lotse.origin}/dashboard/`);
        return figure(agent, 'CSAT').textContent();
      })
      .toContain(`n = ${before.csat + 1}`);
    await agent.context().close();

    // Reopen and reply.
    await panel.getByRole('button', { name: t.reopen }).click();
    const reply = panel.getByRole('textbox', { name: t.yourReply });
    await expect.poll(() => focused(reply)).toBe(true);
    await reply.fill(t.visitorReply);
    await panel.getByRole('button', { name: t.sendReply }).click();
    await log.getByText(t.visitorReply).waitFor();
    const rows = await eventually(
      () => conversationRows(ticketId),
      (r) => r.authors.length === 2,
    );
    expect(rows).toEqual({ status: 'open', authors: ['agent', 'visitor'] });

    // The token never reached the host page: not its URL, storage, cookies, frame src or requests.
    const visible = await hostVisible(page);
    expect(visible).toContain('lotse:demo:followup');
    expect(visible).not.toContain(token);
    expect(hostUrls.some((u) => u.includes(token ?? '<none>'))).toBe(false);
    await page.context().close();
  });

  it('promises the next working time after hours and still takes the request', async () => {
    // A visitor in Berlin: the panel says times in the visitor's own zone.
    const page = await newPage(suite.browser, locale, { timezoneId: 'Europe/Berlin' });
    // The server's widget.json says the site is closed until 9:00 in Berlin, two days from now.
    await page.route(`${suite.lotse.origin}/v1/sites/demo/widget.json`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          collectUnanswered: false,
          hours: {
            openNow: false,
            nextOpening: nineBerlinInTwoDays(),
            timeZone: 'Europe/Berlin',
          },
        }),
      }),
    );
    await page.goto(await routeHostPage(page, suite.lotse.origin, { lang: locale }));
    await launcher(page, locale).click();
    const frame = await panelFrame(page, locale);
    const person = frame.getByRole('button', { name: t.person });
    await expect.poll(() => person.getAttribute('aria-describedby')).toBe('lotse-after-hours');
    // The day word depends on today: a weekday, or "morgen" when a clock change shortens the wait.
    await expect(frame.locator('#lotse-after-hours').textContent()).resolves.toMatch(
      new RegExp(`^${t.afterHours.replace(/Monday|Montag/, '\\S+')}$`),
    );
    await person.click();
    await frame.getByRole('textbox', { name: t.email }).fill(`late-${locale}@example.com`);
    await frame.getByRole('textbox', { name: t.message }).fill(t.level2);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: t.send }).click();
    await frame.getByText(t.promise).waitFor();
    await page.context().close();
  });
});

describe('a signed-in visitor', () => {
  // What the shop's own server does: sign the user id with the site's identity secret.
  const demoSite = JSON.parse(readFileSync(path.join(repoRoot, 'examples/site.json'), 'utf8')) as {
    identitySecret: string;
  };
  const sign = (userId: string) =>
    createHmac('sha256', demoSite.identitySecret).update(userId).digest('hex');
  /** The host page's inline snippet: the queue stub and a signed identify before the loader runs. */
  const identify = (userId: string, signature: string) =>
    `<script>window.Lotse=window.Lotse||function(){(Lotse.q=Lotse.q||[]).push(arguments)};Lotse('identify',{userId:'${userId}',signature:'${signature}'});</script>`;

  it('finds their conversation on another device; a wrong signature finds nothing', async () => {
    const userId = 'u-e2e-1001';
    const phone = await newPage(suite.browser, 'de');
    await phone.goto(
      await routeHostPage(phone, suite.lotse.origin, { body: identify(userId, sign(userId)) }),
    );
    const { ticketId } = await handOff(phone, 'de', 'signed-in@example.com');
    await phone.context().close();

    // Another browser, signed in as the same user: the request is listed once the panel opens.
    const laptop = await newPage(suite.browser, 'de');
    await laptop.goto(
      await routeHostPage(laptop, suite.lotse.origin, { body: identify(userId, sign(userId)) }),
    );
    await launcher(laptop, 'de').click();
    const panel = await panelFrame(laptop, 'de');
    await panel.getByRole('button', { name: `Anfrage ${ticketId}`, exact: true }).click();
    await panel.getByRole('heading', { name: `Anfrage ${ticketId}` }).waitFor();
    await laptop.context().close();

    // A third browser claiming the user with a forged signature: the server answers 401, no request.
    const forged = await newPage(suite.browser, 'de');
    await forged.goto(
      await routeHostPage(forged, suite.lotse.origin, {
        body: identify(userId, sign('someone-else')),
      }),
    );
    const refused = forged.waitForResponse((r) => r.url().endsWith('/v1/sites/demo/conversations'));
    await launcher(forged, 'de').click();
    const forgedPanel = await panelFrame(forged, 'de');
    expect((await refused).status()).toBe(401);
    await expect(forgedPanel.getByText(ticketId).count()).resolves.toBe(0);
    await forged.context().close();
  });
});

/**
 * 9:00 in Berlin (CET or CEST) on the day after tomorrow there, as an ISO string: within the week,
 * so the widget names its weekday without a date, whatever today is.
 */
function nineBerlinInTwoDays(): string {
  const zone = 'Europe/Berlin';
  const parts = new Intl.DateTimeFormat('en', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(Date.now() + 2 * 24 * 60 * 60 * 1000);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  for (const offset of ['+01:00', '+02:00']) {
    const candidate = new Date(`${date}T09:00:00${offset}`);
    const hour = new Intl.DateTimeFormat('en', {
      timeZone: zone,
      hour: 'numeric',
      hourCycle: 'h23',
    }).format(candidate);
    // Intl writes the hour with two digits here ("09").
    if (Number(hour) === 9) return candidate.toISOString();
  }
  throw new Error(`[test] no 9:00 in ${zone} on ${date}`);
}
