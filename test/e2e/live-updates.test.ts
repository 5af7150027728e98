// Live updates without reload (issue 15), German and English, against the built widget and the real
// server: the agent's inbox list shows a new conversation the moment the visitor hands off, the open
// conversation shows the visitor's next message, and the visitor's open panel shows the agent's reply
// — each page loaded once, checked by a marker a reload would wipe. A note never reaches the panel;
// a reply written before the visitor opens the request still shows, under the visitor's own words.
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agentTexts, openConversation, signIn, WAIT } from './support/agent.js';
import { eventually, launcher, newPage, panelFrame, runAxe } from './support/browser.js';
import { routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    question: 'Ihre Frage',
    level2: 'Mein Paket kam beschädigt an, der Karton war aufgerissen',
    email: 'E-Mail',
    send: 'Senden',
    promise: /innerhalb von \d+/,
    request: /^Anfrage /,
    yourReply: 'Ihre Antwort',
    sendReply: 'Antwort senden',
    visitorFollowUp: 'Es ist auch noch nass geworden.',
    agentReply: 'Wir schicken heute Ersatz. Ihr Team von Nordlicht',
    note: 'Interne Notiz: Kulanz prüfen',
    saveNote: 'Notiz speichern',
    newConversation: /^Neue Anfrage .+\.$/,
    newMessage: /^Neue Nachricht des Besuchers in .+\.$/,
  },
  en: {
    question: 'Your question',
    level2: 'My parcel arrived damaged, the box was torn open',
    email: 'Email',
    send: 'Send',
    promise: /within \d+/,
    request: /^Request /,
    yourReply: 'Your reply',
    sendReply: 'Send reply',
    visitorFollowUp: 'It also got wet.',
    agentReply: 'We are sending a replacement today. Your Nordlicht team',
    note: 'Internal note: check goodwill',
    saveNote: 'Save note',
    newConversation: /^New conversation .+\.$/,
    newMessage: /^New message from the visitor in .+\.$/,
  },
} as const;

const suite = useLotseSuite();

/** Marks a page or frame; the mark survives anything but a reload or navigation. */
const mark = (target: Page | Frame) =>
  target.evaluate(() => {
    (window as unknown as { lotseMark: number }).lotseMark = 1;
  });
const marked = (target: Page | Frame) =>
  target.evaluate(() => (window as unknown as { lotseMark?: number }).lotseMark === 1);

describe.each(['de', 'en'] as const)('live updates (%s)', (locale) => {
  const t = texts[locale];
  const a = agentTexts[locale];

  /** A visitor asks a level-2 question on a fresh page and sends the handoff form as `email`. */
  const handOff = async (email: string) => {
    const page = await newPage(suite.browser, locale, { bypassCSP: true });
    await page.goto(await routeHostPage(page, suite.lotse.origin, { lang: locale }));
    await launcher(page, locale).click();
    const frame = await panelFrame(page, locale);
    const box = frame.getByRole('combobox', { name: t.question });
    await box.fill(t.level2);
    await box.press('Enter');
    await frame.getByRole('textbox', { name: t.email }).fill(email);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: t.send }).click();
    await frame.getByText(t.promise).waitFor(WAIT);
    const handoffs = await eventually(
      () => suite.lotse.handoffs(),
      (rows) => rows.some((row) => row.email === email),
    );
    return { page, frame, ticketId: handoffs.find((row) => row.email === email)!.ticketId };
  };

  it('shows a new conversation in the inbox, the visitor’s message in the open conversation and the reply in the open panel, without reload', async () => {
    const agent = await newPage(suite.browser, locale, { bypassCSP: true });
    await signIn(agent, suite.lotse.origin, locale);
    await mark(agent);

    // The visitor hands off.
    const { page, frame, ticketId } = await handOff(`live-${locale}@example.com`);

    // The inbox list, loaded before the handoff, shows it now, and says so politely.
    const link = agent.getByRole('link', { name: ticketId, exact: true });
    await link.waitFor(WAIT);
    await expect(marked(agent)).resolves.toBe(true);
    // The live region (the conversation page has other status regions, e.g. the canned replies').
    const status = agent.locator('#live-status');
    await expect.poll(() => status.textContent(), WAIT).toMatch(t.newConversation);
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await runAxe(agent)).toEqual([]);

    // The agent opens it; the visitor opens the request in the panel and writes again.
    await Promise.all([agent.waitForURL(/\/inbox\/c\//, WAIT), link.click()]);
    await mark(agent);
    await frame.getByRole('button', { name: t.request }).click();
    const log = frame.getByRole('log');
    await frame.getByRole('textbox', { name: t.yourReply }).fill(t.visitorFollowUp);
    await frame.getByRole('button', { name: t.sendReply }).click();
    await log.getByText(t.visitorFollowUp).waitFor(WAIT);
    const transcript = agent.getByRole('list', { name: a.transcript });
    await transcript.getByText(t.visitorFollowUp).waitFor(WAIT);
    await expect
      .poll(() => agent.locator('#live-status').textContent(), WAIT)
      .toMatch(t.newMessage);
    await expect(marked(agent)).resolves.toBe(true);

    // A note and then the reply: the open panel shows the reply without reopening, never the note.
    await mark(frame);
    await agent.getByRole('textbox', { name: a.reply, exact: true }).waitFor(WAIT);
    await agent.locator('#note').fill(t.note);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/note') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: t.saveNote }).click(),
    ]);
    await agent.getByRole('textbox', { name: a.reply, exact: true }).fill(t.agentReply);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: a.sendReply }).click(),
    ]);
    await log.getByText(t.agentReply).waitFor(WAIT);
    await expect(marked(frame)).resolves.toBe(true);
    expect(await log.textContent()).not.toContain(t.note);
    expect(await frame.locator('body').textContent()).not.toContain(t.note);
    expect(await runAxe(frame)).toEqual([]);
    await page.context().close();
    await agent.context().close();
  });

  it('opens the request with the visitor’s own words and a reply written before it was opened, without reload', async () => {
    const { page, frame, ticketId } = await handOff(`early-${locale}@example.com`);
    await mark(frame);

    // The agent answers before the visitor opens the request in the same page.
    const agent = await newPage(suite.browser, locale);
    await signIn(agent, suite.lotse.origin, locale);
    await openConversation(agent, suite.lotse.origin, ticketId);
    await agent.getByRole('textbox', { name: a.reply, exact: true }).fill(t.agentReply);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: a.sendReply }).click(),
    ]);

    await frame.getByRole('button', { name: t.request }).click();
    const log = frame.getByRole('log');
    await log.getByText(t.agentReply).waitFor(WAIT);
    const lines = await log.locator('.msg').allTextContents();
    expect(lines[0]).toContain(t.level2);
    await expect(marked(frame)).resolves.toBe(true);
    await page.context().close();
    await agent.context().close();
  });
});
