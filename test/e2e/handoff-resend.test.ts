// A request to the team whose answer got lost, in German and English: sent again unchanged, the
// visitor gets the ticket the server stored; edited, a new ticket (never an endless "try again").
// And the confirmation's two times, for a visitor in another zone than the site's, in one zone.
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, launcher, newPage, panelFrame } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    person: 'Mit einem Menschen sprechen',
    askAnother: 'Noch eine Frage stellen',
    email: 'E-Mail',
    message: 'Nachricht',
    send: 'Senden',
    failed: 'Das Senden hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
    ticket: (id: string) => `(Ticket ${id})`,
    first: 'Mein Paket ist seit einer Woche unterwegs.',
    edited: 'Mein Paket ist seit einer Woche unterwegs. Bestellnummer 4711.',
    afterHours: (clock: string) => new RegExp(`^Wir antworten ab \\S+, ${clock} Uhr$`),
  },
  en: {
    person: 'Talk to a person',
    askAnother: 'Ask another question',
    email: 'Email',
    message: 'Message',
    send: 'Send',
    failed: 'Sending failed. Please try again.',
    ticket: (id: string) => `(ticket ${id})`,
    first: 'My parcel has been on its way for a week.',
    edited: 'My parcel has been on its way for a week. Order number 4711.',
    afterHours: (clock: string) => new RegExp(`^We will reply from \\S+, ${clock}$`),
  },
} as const;

const WAIT = { timeout: 30_000 };
const suite = useLotseSuite();

/** Opens the panel on a host page and the form to the team, filled in but not sent. */
async function openForm(page: Page, locale: 'de' | 'en', email: string): Promise<Frame> {
  const t = texts[locale];
  await page.goto(await routeHostPage(page, suite.lotse.origin, { lang: locale }));
  await launcher(page, locale).click();
  const frame = await panelFrame(page, locale);
  await frame.getByRole('button', { name: t.person }).click();
  await frame.getByRole('textbox', { name: t.email }).fill(email);
  await frame.getByRole('textbox', { name: t.message }).fill(t.first);
  await frame.getByRole('checkbox').check();
  return frame;
}

/**
 * Sends the form while every answer to `POST /v1/handoffs` is lost after the server has taken the
 * request (the connection resets), until the panel says so; returns the ticket the server stored.
 */
async function sendLosingAnswers(page: Page, frame: Frame, locale: 'de' | 'en'): Promise<string> {
  const t = texts[locale];
  const url = `${suite.lotse.origin}/v1/handoffs`;
  const tickets: string[] = [];
  await page.context().route(url, async (route) => {
    const response = await route.fetch();
    tickets.push(((await response.json()) as { ticketId: string }).ticketId);
    await route.abort('connectionreset');
  });
  await frame.getByRole('button', { name: t.send, exact: true }).click();
  await frame.getByRole('alert').getByText(t.failed).waitFor(WAIT);
  await page.context().unroute(url);
  // The client's retries were recognised as the same request: one ticket.
  expect(tickets.length).toBeGreaterThan(0);
  expect(new Set(tickets).size).toBe(1);
  return tickets[0]!;
}

/** Presses Send and returns the status of the server's answer and the confirmation's text. */
async function sendAgain(page: Page, frame: Frame, locale: 'de' | 'en') {
  const t = texts[locale];
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/handoffs'), WAIT),
    frame.getByRole('button', { name: t.send, exact: true }).click(),
  ]);
  return {
    status: response.status(),
    reply: (await response.json()) as { ticketId: string; respondBy: string },
  };
}

const rowsOf = (email: string) => suite.lotse.handoffs().filter((row) => row.email === email);

describe.each(['de', 'en'] as const)('a request whose answer got lost (%s)', (locale) => {
  const t = texts[locale];

  it('sent again unchanged, gets the ticket the server stored', async () => {
    const page = await newPage(suite.browser, locale);
    const email = `lost-same-${locale}@example.com`;
    const frame = await openForm(page, locale, email);
    const stored = await sendLosingAnswers(page, frame, locale);

    const { status, reply } = await sendAgain(page, frame, locale);
    expect(status).toBe(201);
    expect(reply.ticketId).toBe(stored);
    await frame.getByText(t.ticket(stored)).waitFor(WAIT);
    expect(rowsOf(email).map((row) => row.ticketId)).toEqual([stored]);

    // Once sent, the same words again are a new request, not a replay of the (maybe closed) one.
    await frame.getByRole('button', { name: t.askAnother }).click();
    await frame.getByRole('button', { name: t.person }).click();
    await frame.getByRole('textbox', { name: t.email }).fill(email);
    await frame.getByRole('textbox', { name: t.message }).fill(t.first);
    await frame.getByRole('checkbox').check();
    const next = await sendAgain(page, frame, locale);
    expect(next.reply.ticketId).not.toBe(stored);
    await frame.getByText(t.ticket(next.reply.ticketId)).waitFor(WAIT);
    expect(rowsOf(email)).toHaveLength(2);
    await page.context().close();
  });

  it('edited and sent again, becomes a new request with its own ticket', async () => {
    const page = await newPage(suite.browser, locale);
    const email = `lost-edited-${locale}@example.com`;
    const frame = await openForm(page, locale, email);
    const lost = await sendLosingAnswers(page, frame, locale);

    await frame.getByRole('textbox', { name: t.message }).fill(t.edited);
    const { status, reply } = await sendAgain(page, frame, locale);
    expect(status).toBe(201);
    expect(reply.ticketId).not.toBe(lost);
    await frame.getByText(t.ticket(reply.ticketId)).waitFor(WAIT);
    const rows = await eventually(
      () => rowsOf(email),
      (r) => r.length === 2,
    );
    expect(rows.map((row) => [row.ticketId, row.message])).toEqual([
      [lost, t.first],
      [reply.ticketId, t.edited],
    ]);
    await page.context().close();
  });

  it('refused as another request under its key (409), is taken as a new one at the next try', async () => {
    const page = await newPage(suite.browser, locale);
    const email = `lost-refused-${locale}@example.com`;
    const frame = await openForm(page, locale, email);
    // Something between the panel and the server changed the first request on its way (as an
    // expired session once did), and its answers got lost: the server keeps other content under
    // the key, and answers the panel's unchanged request with 409.
    const url = `${suite.lotse.origin}/v1/handoffs`;
    await page.context().route(url, async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { message: string };
      await route.fetch({ postData: JSON.stringify({ ...body, message: t.edited }) });
      await route.abort('connectionreset');
    });
    await frame.getByRole('button', { name: t.send, exact: true }).click();
    await frame.getByRole('alert').getByText(t.failed).waitFor(WAIT);
    await page.context().unroute(url);

    const refused = await sendAgain(page, frame, locale);
    expect(refused.status).toBe(409);
    await frame.getByRole('alert').getByText(t.failed).waitFor(WAIT);
    const taken = await sendAgain(page, frame, locale);
    expect(taken.status).toBe(201);
    await frame.getByText(t.ticket(taken.reply.ticketId)).waitFor(WAIT);
    const rows = await eventually(
      () => rowsOf(email),
      (r) => r.length === 2,
    );
    expect(rows.map((row) => row.message)).toEqual([t.edited, t.first]);
    await page.context().close();
  });
});

describe.each(['de', 'en'] as const)('the confirmation after hours (%s)', (locale) => {
  const t = texts[locale];
  const zone = 'America/New_York';
  /** Hour and minute of `time` on a clock in New York. */
  const clock = (time: number) => {
    const parts = new Intl.DateTimeFormat('en', {
      timeZone: zone,
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(time);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return { hour: part('hour'), minute: String(part('minute')).padStart(2, '0') };
  };

  it('says when the team is back and when the answer is due on the visitor’s own clock', async () => {
    const page = await newPage(suite.browser, locale, { timezoneId: zone });
    // The site (Berlin) is closed and opens tomorrow at 08:00 UTC: 9:00 or 10:00 in Berlin, 3:00 or
    // 4:00 in New York.
    const opens = new Date();
    opens.setUTCDate(opens.getUTCDate() + 1);
    opens.setUTCHours(8, 0, 0, 0);
    await page.route(`${suite.lotse.origin}/v1/sites/demo/widget.json`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          hours: { openNow: false, nextOpening: opens.toISOString(), timeZone: 'Europe/Berlin' },
        }),
      }),
    );
    const frame = await openForm(page, locale, `late-ny-${locale}@example.com`);
    const { status, reply } = await sendAgain(page, frame, locale);
    expect(status).toBe(201);
    const lines = frame.locator('.sent p');
    await expect.poll(() => lines.count(), WAIT).toBe(3);
    const [, due, back] = await lines.allTextContents();

    const open = clock(opens.getTime());
    expect(back).toMatch(t.afterHours(`${open.hour}:${open.minute}`));
    const by = clock(Date.parse(reply.respondBy));
    expect(due).toContain(
      locale === 'de'
        ? `${String(by.hour).padStart(2, '0')}:${by.minute}`
        : `${by.hour % 12 || 12}:${by.minute}`,
    );
    await page.context().close();
  });
});
