// The conversation view's working tools in Chromium (issue 15), in German and English: an editor
// writes a team snippet; an agent inserts the knowledge base's answer for the conversation into the
// reply box, edits and sends it, ticks the playbook steps, and sees a colleague's collision warning;
// axe finds nothing on the conversation page with all its sections, nor on the snippets page.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createClient } from '@lotse/sdk';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, openConversation, signIn, WAIT } from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    question: 'Mein Paket kam beschädigt an, der Karton war aufgerissen',
    entry: 'Paket beschädigt angekommen',
    answerPart: 'machen Sie Fotos von Karton',
    canned: 'Antwortvorlagen',
    use: 'Übernehmen',
    reply: 'Antwort',
    sendReply: 'Antwort senden',
    transcript: 'Verlauf',
    playbook: 'Vorgehen',
    saveChecklist: 'Abgehakte Schritte speichern',
    done: /2 von 2 Schritten erledigt/,
    doneBy: `erledigt von ${ADMIN_EMAIL}`,
    collision:
      /Achtung: kim-de@example\.com \(geöffnet .+\) hat dieses Gespräch ebenfalls geöffnet/,
    snippets: 'Textbausteine',
    title: 'Titel',
    text: 'Text',
    save: 'Speichern',
    saved: 'Der Textbaustein ist gespeichert.',
    manage: 'Textbausteine verwalten',
    greeting: 'Viele Grüße, Ihr Nordlicht-Team',
  },
  en: {
    question: 'My parcel arrived damaged, the box was torn open',
    entry: 'Parcel arrived damaged',
    answerPart: 'take photos of the box',
    canned: 'Canned replies',
    use: 'Use',
    reply: 'Reply',
    sendReply: 'Send reply',
    transcript: 'Transcript',
    playbook: 'Playbook',
    saveChecklist: 'Save ticked steps',
    done: /2 of 2 steps done/,
    doneBy: `done by ${ADMIN_EMAIL}`,
    collision: /Careful: kim-en@example\.com \(opened .+\) has this conversation open too/,
    snippets: 'Snippets',
    title: 'Title',
    text: 'Text',
    save: 'Save',
    saved: 'The snippet is saved.',
    manage: 'Manage snippets',
    greeting: 'Kind regards, the Nordlicht team',
  },
} as const;

/** A shipping handoff through the SDK, as a shop's back end would send one. */
async function handoff(locale: 'de' | 'en', message: string): Promise<string> {
  const client = createClient({ endpoint: suite.lotse.origin, siteKey: 'demo' });
  try {
    const reply = await client.createHandoff({
      email: `visitor-${locale}@example.com`,
      consent: true,
      message,
      transcript: [],
      classification: { level: 2, topic: 'shipping', signals: [], confidence: 0.6, reasons: ['x'] },
      locale,
    });
    return reply.ticketId;
  } finally {
    await client.close();
  }
}

/** A colleague who opened the conversation a minute ago, written into the server's SQLite file. */
function colleagueOpened(ticketId: string, email: string): void {
  const db = new Database(path.join(suite.lotse.dataDir, 'lotse.db'), { timeout: 10_000 });
  try {
    const id = randomUUID();
    db.prepare(
      "insert into agents (id, email, password_hash, role, created_at) values (?, ?, 'x', 'agent', ?)",
    ).run(id, email, Date.now());
    const h = db.prepare('select id from handoffs where ticket_id = ?').get(ticketId) as {
      id: string;
    };
    db.prepare(
      'insert into conversation_presence (handoff_id, agent_id, seen_at) values (?, ?, ?)',
    ).run(h.id, id, Date.now() - 60_000);
  } finally {
    db.close();
  }
}

describe.each(['de', 'en'] as const)('the conversation tools (%s)', (locale) => {
  it('inserts a canned reply, edits and sends it, ticks the playbook; axe finds nothing', async () => {
    const t = texts[locale];
    const ticketId = await handoff(locale, t.question);
    colleagueOpened(ticketId, `kim-${locale}@example.com`);
    const page = await newPage(suite.browser, locale, { bypassCSP: true });
    await signIn(page, suite.lotse.origin, locale);

    // The admin (an owner) writes a team snippet for all languages on the snippets page.
    await page.goto(`${suite.lotse.origin}/inbox/snippets?site=demo`);
    await page.getByRole('textbox', { name: t.title, exact: true }).fill(`Gruß ${locale}`);
    await page.getByRole('textbox', { name: t.text, exact: true }).fill(t.greeting);
    await page.getByRole('button', { name: t.save, exact: true }).click();
    await page.getByRole('status').filter({ hasText: t.saved }).waitFor(WAIT);
    expect(await runAxe(page)).toEqual([]);

    await openConversation(page, suite.lotse.origin, ticketId);
    const url = page.url();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: t.collision }).count(), WAIT)
      .toBe(1);

    // The knowledge base's answer for the conversation's entry comes first; "Use" puts it in the box.
    const canned = page.getByRole('region', { name: t.canned });
    await canned.getByText(t.entry, { exact: true }).waitFor(WAIT);
    const box = page.getByRole('textbox', { name: t.reply, exact: true });
    await expect(box.inputValue()).resolves.toBe('');
    await canned
      .getByRole('button', { name: `${t.use}: ${locale === 'de' ? '„' : '“'}${t.entry}` })
      .click();
    await expect.poll(() => box.inputValue(), WAIT).toContain(t.answerPart);
    // The script inserted it without a reload, and focused the box for editing.
    expect(page.url()).toBe(url);
    await expect.poll(() => box.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
    // The agent edits: the team's greeting is added at the end, then a personal first line.
    await box.press('Control+End');
    await box.pressSequentially('\n\n');
    await canned.getByRole('button', { name: new RegExp(`Gruß ${locale}`) }).click();
    await expect.poll(() => box.inputValue(), WAIT).toContain(t.greeting);
    await box.press('Control+Home');
    await box.pressSequentially(`Ticket ${ticketId}: `);
    const sent = await box.inputValue();
    expect(sent.startsWith(`Ticket ${ticketId}: `)).toBe(true);
    expect(sent.endsWith(t.greeting)).toBe(true);
    // Nothing was sent yet.
    await expect(
      page.getByRole('list', { name: t.transcript }).getByText(t.greeting).count(),
    ).resolves.toBe(0);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
      page.getByRole('button', { name: t.sendReply, exact: true }).click(),
    ]);
    await page
      .getByRole('list', { name: t.transcript })
      .getByText(`Ticket ${ticketId}:`, { exact: false })
      .waitFor(WAIT);

    // The playbook's steps (the shipping topic has two) are ticked and saved.
    const playbook = page.getByRole('region', { name: t.playbook });
    const boxes = playbook.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/playbook') && r.status() === 303, WAIT),
      playbook.getByRole('button', { name: t.saveChecklist }).click(),
    ]);
    await playbook.getByText(t.done).waitFor(WAIT);
    await expect(playbook.getByText(t.doneBy).count()).resolves.toBe(2);
    await expect(playbook.getByRole('checkbox', { checked: true }).count()).resolves.toBe(2);

    // Every section is on the page: collision warning, canned replies, checklist, hand-over.
    await page.getByRole('status').filter({ hasText: t.collision }).waitFor(WAIT);
    expect(await runAxe(page)).toEqual([]);
    await page.context().close();
  });
});
