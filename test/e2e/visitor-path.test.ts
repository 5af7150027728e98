// The visitor's path in German and English: open, ask, answer, rate; a level-2 question and a hidden
// complaint handed to a person; events and handoffs stored by the real server.
import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, launcher, newPage, panelFrame } from './support/browser.js';
import { openDemoPanel, routeHostPage } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    dialog: /Nordlicht Outdoor/,
    question: 'Ihre Frage',
    standard: 'Wie bekomme ich ein Rücksendeetikett?',
    level2: 'Mein Paket kam beschädigt an, der Karton war aufgerissen',
    complaint: 'Das ist jetzt das dritte Mal, dass mein Paket nicht ankommt',
    helpful: 'Hat Ihnen das geholfen?',
    yes: 'Ja',
    email: 'E-Mail',
    message: 'Nachricht',
    send: 'Senden',
    promise: /innerhalb von \d+ (Minuten?|Stunden?|Werktag(en)?)/,
    person: 'Mit einem Menschen sprechen',
  },
  en: {
    dialog: /Nordlicht Outdoor/,
    question: 'Your question',
    standard: 'How do I get a return label?',
    level2: 'My parcel arrived damaged, the box was torn open',
    complaint: 'This is the third time that my parcel has not arrived',
    helpful: 'Did this answer your question?',
    yes: 'Yes',
    email: 'Email',
    message: 'Message',
    send: 'Send',
    promise: /within \d+ (minutes?|hours?|working days?)/,
    person: 'Talk to a person',
  },
} as const;

const suite = useLotseSuite();

const openOn = (locale: 'de' | 'en') => openDemoPanel(suite.browser, suite.lotse.origin, locale);

async function ask(frame: Frame, locale: 'de' | 'en', text: string): Promise<void> {
  const box = frame.getByRole('combobox', { name: texts[locale].question });
  await box.fill(text);
  await box.press('Enter');
}

/** A German host page of the demo site with the panel open; `data`: more embed attributes. */
async function openGerman(data?: Record<string, string>) {
  const page = await newPage(suite.browser, 'de');
  await page.goto(await routeHostPage(page, suite.lotse.origin, data ? { data } : {}));
  await launcher(page, 'de').click();
  return { page, frame: await panelFrame(page, 'de') };
}

async function handOff(frame: Frame, locale: 'de' | 'en', email: string): Promise<string> {
  const t = texts[locale];
  const message = frame.getByRole('textbox', { name: t.message });
  await expect(message.inputValue()).resolves.not.toBe('');
  await frame.getByRole('textbox', { name: t.email }).fill(email);
  await frame.getByRole('checkbox').check();
  await frame.getByRole('button', { name: t.send }).click();
  const confirmation = frame.getByText(t.promise);
  await confirmation.waitFor();
  return (await confirmation.textContent()) ?? '';
}

describe.each(['de', 'en'] as const)('visitor path (%s)', (locale) => {
  const t = texts[locale];

  it('opens, answers a standard question from the knowledge base, and takes the rating', async () => {
    const { page, frame } = await openOn(locale);
    // The dialog is named after the site once its model (which carries the title) has loaded.
    await frame.getByRole('dialog', { name: t.dialog }).waitFor();
    await expect(frame.getByRole('button', { name: t.person }).isVisible()).resolves.toBe(true);

    const box = frame.getByRole('combobox', { name: t.question });
    await box.pressSequentially(t.standard.slice(0, 18));
    await frame.getByRole('listbox').getByRole('option').first().waitFor();
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');

    await box.fill(t.standard);
    await box.press('Enter');
    const rating = frame.getByRole('group', { name: t.helpful });
    await rating.waitFor();
    await expect(frame.getByRole('log').locator('.answer').count()).resolves.toBe(1);
    await expect(frame.getByRole('button', { name: t.person }).isVisible()).resolves.toBe(true);
    await rating.getByRole('button', { name: t.yes, exact: true }).click();
    await rating.waitFor({ state: 'detached' });

    const events = await eventually(
      () => suite.lotse.events().map((e) => e.type),
      (types) => types.includes('answer.rated'),
    );
    for (const type of [
      'widget.opened',
      'query.submitted',
      'triage.decided',
      'answer.shown',
      'answer.rated',
    ]) {
      expect(events).toContain(type);
    }
    const rated = suite.lotse.events().filter((e) => e.type === 'answer.rated');
    expect(rated.some((e) => e.props.helpful === true)).toBe(true);
    // The answer and its rating name the knowledge-base version of the model the panel loaded.
    const model = await fetch(`${suite.lotse.origin}/v1/sites/demo/model.json`);
    await model.body?.cancel();
    const version = Number(model.headers.get('x-lotse-kb-version'));
    expect(version).toBeGreaterThan(0);
    for (const e of suite.lotse.events().filter((e) => e.type.startsWith('answer.'))) {
      expect(e.props.kbVersion, e.type).toBe(version);
    }
    await page.context().close();
  });

  it('hands a level-2 question to a person and promises a response time', async () => {
    const { page, frame } = await openOn(locale);
    await ask(frame, locale, t.level2);
    const email = `level2-${locale}@example.com`;
    const confirmation = await handOff(frame, locale, email);
    expect(confirmation).toMatch(t.promise);
    const handoffs = await eventually(
      () => suite.lotse.handoffs(),
      (rows) => rows.some((row) => row.message.includes(t.level2)),
    );
    const stored = handoffs.find((row) => row.message.includes(t.level2));
    expect(stored?.level).toBeGreaterThanOrEqual(2);
    expect(confirmation).toContain(stored?.ticketId ?? '<missing>');
    const created = await eventually(
      () => suite.lotse.events().filter((e) => e.type === 'handoff.created'),
      (rows) => rows.some((row) => row.props.ticketId === stored?.ticketId),
    );
    expect(created.some((row) => row.props.ticketId === stored?.ticketId)).toBe(true);
    await page.context().close();
  });

  it('recognises a hidden complaint and hands it to a person', async () => {
    const { page, frame } = await openOn(locale);
    await ask(frame, locale, t.complaint);
    await frame.getByRole('textbox', { name: t.email }).waitFor();
    const confirmation = await handOff(frame, locale, `complaint-${locale}@example.com`);
    expect(confirmation).toMatch(t.promise);
    const handoffs = await eventually(
      () => suite.lotse.handoffs(),
      (rows) => rows.some((row) => row.message.includes(t.complaint)),
    );
    expect(handoffs.find((row) => row.message.includes(t.complaint))?.level).toBeGreaterThanOrEqual(
      2,
    );
    const complaint = (e: { type: string; props: Record<string, unknown> }) =>
      e.type === 'triage.decided' &&
      e.props.kind === 'handoff' &&
      (e.props.signals as string[]).includes('complaint');
    const decided = await eventually(
      () => suite.lotse.events().filter(complaint),
      (rows) => rows.length > 0,
    );
    expect(decided.length).toBeGreaterThan(0);
    await page.context().close();
  });
});

describe('unanswered questions', () => {
  it('reports a question nobody could answer, masked, when the site opts in', async () => {
    const { page, frame } = await openGerman({ unanswered: 'on' });
    await ask(
      frame,
      'de',
      'Wie wird das Wetter morgen in Hamburg? Schreiben Sie an max.muster@example.com',
    );
    const rows = await eventually(
      () => suite.lotse.events().filter((e) => e.type === 'query.unanswered'),
      (found) => found.length > 0,
    );
    const text = String(rows[0]?.props.text);
    expect(text).toContain('Wetter');
    expect(text).not.toContain('max.muster@example.com');
    await page.context().close();
  });

  it('answers a thank-you kindly, with no person offered and nothing reported', async () => {
    const { page, frame } = await openGerman({ unanswered: 'on' });
    await ask(frame, 'de', texts.de.standard);
    const rating = frame.getByRole('group', { name: texts.de.helpful });
    await rating.waitFor();
    await ask(frame, 'de', 'Danke, hat geklappt!');
    await frame.getByRole('log').getByText('Das freut uns!').waitFor();
    // The answer still asks whether it helped; no person is offered.
    await expect(rating.isVisible()).resolves.toBe(true);
    await expect(frame.getByRole('textbox', { name: texts.de.message }).count()).resolves.toBe(0);
    // A question after it is reported; by then the thank-you's events would have arrived too.
    await ask(frame, 'de', 'Wie wird das Wetter morgen in Lübeck?');
    const [report] = await eventually(
      () =>
        suite.lotse
          .events()
          .filter((e) => e.type === 'query.unanswered' && String(e.props.text).includes('Lübeck')),
      (found) => found.length > 0,
    );
    const session = suite.lotse.events().filter((e) => e.sessionId === report?.sessionId);
    expect(session.filter((e) => e.type === 'query.submitted')).toHaveLength(2);
    expect(session.filter((e) => e.type === 'query.unanswered')).toHaveLength(1);
    await page.context().close();
  });

  it('takes "ok" before any answer, or after a "No", for what it may mean: a person please', async () => {
    const first = await openGerman();
    await ask(first.frame, 'de', 'ok');
    await first.frame.getByRole('textbox', { name: texts.de.message }).waitFor();
    await expect(first.frame.getByText('Das freut uns!').count()).resolves.toBe(0);
    await first.page.context().close();

    const { page, frame } = await openGerman();
    await ask(frame, 'de', texts.de.standard);
    const rating = frame.getByRole('group', { name: texts.de.helpful });
    await rating.getByRole('button', { name: 'Nein', exact: true }).click();
    await rating.waitFor({ state: 'detached' });
    await ask(frame, 'de', 'ok');
    await frame.getByRole('textbox', { name: texts.de.message }).waitFor();
    await expect(frame.getByText('Das freut uns!').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('lets the visitor leave the handoff form and ask on', async () => {
    const { page, frame } = await openGerman();
    await ask(frame, 'de', 'Wer hat die Fußball-WM 2014 gewonnen?');
    await frame.getByRole('textbox', { name: texts.de.message }).waitFor();
    await expect(frame.getByRole('combobox', { name: texts.de.question }).count()).resolves.toBe(0);
    await frame.getByRole('button', { name: 'Noch eine Frage stellen' }).click();
    const box = frame.getByRole('combobox', { name: texts.de.question });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect(frame.getByRole('textbox', { name: texts.de.message }).count()).resolves.toBe(0);
    await ask(frame, 'de', texts.de.standard);
    await frame.getByRole('group', { name: texts.de.helpful }).waitFor();
    await page.context().close();
  });

  it("reports a question asked before the site's settings arrived, once they say so", async () => {
    const page = await newPage(suite.browser, 'de');
    // The demo site opts in on the server (collectUnansweredQuestions), not in the embed tag; its
    // settings arrive only after the question has been answered.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/v1/sites/demo/widget.json', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(await routeHostPage(page, suite.lotse.origin));
    await launcher(page, 'de').click();
    const frame = await panelFrame(page, 'de');
    await ask(frame, 'de', 'Wie wird das Wetter übermorgen in Kiel?');
    // The bot has answered (the greeting is the first bot message): the question is decided.
    await frame.locator('.msg.bot').nth(1).waitFor();
    release();
    const rows = await eventually(
      () =>
        suite.lotse
          .events()
          .filter((e) => e.type === 'query.unanswered' && String(e.props.text).includes('Kiel')),
      (found) => found.length > 0,
    );
    expect(rows).toHaveLength(1);
    await page.context().close();
  });
});

describe('handoff retries', () => {
  it('sends a retry under the same id, so a lost answer never becomes a second ticket', async () => {
    const { page, frame } = await openGerman();
    await ask(frame, 'de', texts.de.level2);
    // The server stores the handoff, but every answer is lost on the way back.
    const keys: string[] = [];
    await page.route('**/v1/handoffs', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      await route.fetch();
      await route.abort('connectionreset');
    });
    const email = 'retry-de@example.com';
    await frame.getByRole('textbox', { name: texts.de.email }).fill(email);
    await frame.getByRole('checkbox').check();
    const send = frame.getByRole('button', { name: texts.de.send });
    await send.click();
    await frame.getByRole('alert').getByText('Das Senden hat nicht geklappt').waitFor();
    expect(keys.length).toBeGreaterThan(0);

    await page.unroute('**/v1/handoffs');
    await send.click();
    const confirmation = frame.getByText(texts.de.promise);
    await confirmation.waitFor();
    const stored = suite.lotse.handoffs().filter((row) => row.email === email);
    expect(stored).toHaveLength(1);
    expect(await confirmation.textContent()).toContain(stored[0]!.ticketId);
    expect(new Set(keys).size).toBe(1);
    await page.context().close();
  });
});
