import { expect, it } from 'vitest';
import type { HandoffRow } from '../store/store.js';
import { handoffRow } from '../test-support/fixtures.js';
import { blns, h5sc } from '../test-support/hostile.js';
import { describeOpenStores } from '../test-support/stores.js';
import { containsPattern, type HandoffSearch } from './inbox-queries.js';

const NOW = Date.parse('2025-11-24T10:00:00.000Z');
const iso = (minutesFromNow: number) => new Date(NOW + minutesFromNow * 60_000).toISOString();

it('escapes like wildcards and the escape character itself', () => {
  expect(containsPattern('50% Rabatt_jetzt\\')).toBe('%50\\% Rabatt\\_jetzt\\\\%');
  expect(containsPattern('ÄRGER')).toBe('%ÄRGER%');
  expect(containsPattern('a\u0000b')).toBe('%ab%');
});

describeOpenStores('inbox search', (t) => {
  /** Inserts handoffs in order (ticket ids T-a, T-b, …) and returns them by letter. */
  async function seed(rows: Record<string, Partial<HandoffRow>>) {
    const out: Record<string, HandoffRow> = {};
    let n = 0;
    for (const [key, overrides] of Object.entries(rows)) {
      const h = handoffRow({ ticketId: `T-${key}`, createdAt: NOW - 1000 + n++, ...overrides });
      await t.store.insertHandoff(h);
      out[key] = h;
    }
    return out;
  }

  const tickets = async (search: Omit<HandoffSearch, 'now'>) =>
    (await t.store.searchHandoffs({ now: NOW, ...search })).handoffs.map((h) => h.ticketId);

  it('finds text in the visitor message, the replies, the notes and the ticket id, ignoring case', async () => {
    const h = await seed({
      msg: { message: 'Mein Paket ist ÄRGERLICH spät' },
      reply: { message: 'Hallo' },
      note: { message: 'Hallo' },
      none: { message: 'Rechnung fehlt' },
    });
    await t.store.insertMessage({
      id: 'm1',
      handoffId: h.reply!.id,
      from: 'agent',
      text: 'Wir haben die Retoure erhalten.',
      ts: NOW,
    });
    await t.store.insertNote({
      id: 'n1',
      handoffId: h.note!.id,
      agentId: 'a1',
      text: 'Kundin rief an, sehr ärgerlich',
      ts: NOW,
    });
    expect((await tickets({ text: 'ärgerlich' })).sort()).toEqual(['T-msg', 'T-note']);
    expect(await tickets({ text: 'RETOURE' })).toEqual(['T-reply']);
    expect(await tickets({ text: 't-NONE' })).toEqual(['T-none']);
    expect(await tickets({ text: 'nirgends' })).toEqual([]);
  });

  it('finds the visitor’s words before the handoff and after it, and a tag, not the transcript’s keys', async () => {
    const line = (from: 'visitor' | 'bot', text: string, ts: number) => ({ from, text, ts });
    const h = await seed({
      chat: {
        message: 'Bitte melden Sie sich',
        transcript: [
          line('visitor', 'Wo bleibt meine Bestellung?', 1_764_000_000_001),
          line('bot', 'Die Lieferzeit beträgt 3 Tage.', 1_764_000_000_002),
          line('visitor', 'Das Paket hat einen "Wasserschaden"\nund riecht.', 1_764_000_000_003),
        ],
      },
      later: { message: 'Hallo' },
      tagged: { message: 'Hallo' },
      plain: { message: 'Rechnung fehlt', transcript: [line('visitor', 'Rechnung?', 5)] },
    });
    await t.store.insertMessage({
      id: 'v1',
      handoffId: h.later!.id,
      from: 'visitor',
      text: 'Die Sendungsnummer lautet 4711.',
      ts: NOW,
    });
    await t.store.setTags(h.tagged!.id, ['vip-kunde']);
    // Any line of the transcript, the visitor's or the bot's, in any case; quotes and line breaks too.
    expect(await tickets({ text: 'BESTELLUNG' })).toEqual(['T-chat']);
    expect(await tickets({ text: 'lieferzeit' })).toEqual(['T-chat']);
    expect(await tickets({ text: '"wasserschaden"' })).toEqual(['T-chat']);
    expect(await tickets({ text: 'Wasserschaden"\nund' })).toEqual(['T-chat']);
    // The visitor's later message, and a tag through the text search.
    expect(await tickets({ text: 'sendungsnummer' })).toEqual(['T-later']);
    expect(await tickets({ text: 'vip-kunde' })).toEqual(['T-tagged']);
    expect(await tickets({ text: 'VIP' })).toEqual(['T-tagged']);
    // The JSON around the lines is no match: its keys, who wrote a line, its time.
    for (const text of ['visitor', 'bot', '"text"', 'from', '1764000000001', '"}', '?"'])
      expect(await tickets({ text }), text).toEqual([]);
    // A text across two lines is in neither.
    expect(await tickets({ text: 'Bestellung?Die' })).toEqual([]);
    expect((await t.store.searchHandoffs({ now: NOW, text: 'rechnung' })).total).toBe(1);
  });

  it('finds German words whatever their spelling: ß or ss, ä/ö/ü or ae/oe/ue, any case', async () => {
    const h = await seed({
      eszett: { message: 'Die Größe passt nicht' },
      swiss: { message: 'Die Grösse passt nicht' },
      ascii: { message: 'Die GROESSE passt nicht' },
      other: { message: 'Die Farbe passt nicht' },
    });
    await t.store.setTags(h.other!.id, ['rückruf']);
    for (const text of ['Größe', 'groesse', 'GROESSE', 'Grösse', 'GRÖSSE', 'größe', 'GRÖßE'])
      expect((await tickets({ text })).sort(), text).toEqual(['T-ascii', 'T-eszett', 'T-swiss']);
    expect(await tickets({ text: 'rueckruf' })).toEqual(['T-other']);
    expect(await tickets({ text: 'RÜCKRUF' })).toEqual(['T-other']);
  });

  it('finds Turkish and Greek words typed as shown or in lower case, the same on both stores', async () => {
    await seed({
      tr: { message: 'Lieferung nach İSTANBUL fehlt' },
      el: { message: 'ΟΔΟΣ falsch geschrieben' },
      lower: { message: 'η οδος είναι λάθος' },
      de: { message: 'Straße und Größe' },
    });
    for (const text of ['İstanbul', 'İSTANBUL', 'istanbul']) {
      expect(await tickets({ text })).toEqual(['T-tr']);
    }
    for (const text of ['ΟΔΟΣ', 'οδοσ', 'οδος']) {
      expect((await tickets({ text })).sort()).toEqual(['T-el', 'T-lower']);
    }
    expect(await tickets({ text: 'GRÖßE' })).toEqual(['T-de']);
  });

  it('treats %, _ and \\ in the search text as themselves', async () => {
    await seed({
      pct: { message: '50% Rabatt' },
      under: { message: 'code_42' },
      slash: { message: 'C:\\temp' },
      plain: { message: '50 X Rabatt, code-42, C:temp' },
    });
    expect(await tickets({ text: '50%' })).toEqual(['T-pct']);
    expect(await tickets({ text: 'e_4' })).toEqual(['T-under']);
    expect(await tickets({ text: ':\\t' })).toEqual(['T-slash']);
    expect(await tickets({ text: '%' })).toEqual(['T-pct']);
    expect(await tickets({ text: '_' })).toEqual(['T-under']);
  });

  it('filters by visitor e-mail part, tag, topics, level, site and assignee', async () => {
    const h = await seed({
      a: { email: 'Eva.Muster@Example.com', level: 1, topic: 'shipping' },
      b: { email: 'kai@shop.test', level: 3, topic: 'returns', siteKey: 'other' },
      c: { email: 'eva@other.test', level: 3, topic: 'billing' },
    });
    await t.store.setTags(h.a!.id, ['vip', 'rückruf']);
    await t.store.setTags(h.c!.id, ['vip']);
    await t.store.updateHandoff(h.b!.id, { assignee: 'agent-1' });
    expect((await tickets({ email: 'EVA' })).sort()).toEqual(['T-a', 'T-c']);
    expect(await tickets({ email: 'muster@example' })).toEqual(['T-a']);
    expect((await tickets({ tag: 'vip' })).sort()).toEqual(['T-a', 'T-c']);
    expect(await tickets({ tag: 'rückruf' })).toEqual(['T-a']);
    expect((await tickets({ topics: ['returns', 'billing'] })).sort()).toEqual(['T-b', 'T-c']);
    expect(await tickets({ topics: [] })).toEqual([]);
    expect((await tickets({ level: 3 })).sort()).toEqual(['T-b', 'T-c']);
    expect(await tickets({ siteKey: 'other' })).toEqual(['T-b']);
    expect(await tickets({ assignee: 'agent-1' })).toEqual(['T-b']);
    expect((await tickets({ assignee: null })).sort()).toEqual(['T-a', 'T-c']);
    // Combined: every filter must hold.
    expect(await tickets({ tag: 'vip', level: 3, email: 'eva' })).toEqual(['T-c']);
    expect(await tickets({ tag: 'vip', level: 3, siteKey: 'other' })).toEqual([]);
    expect(await tickets({ text: 'hallo', assignee: null, topics: ['shipping'] })).toEqual(['T-a']);
  });

  it('filters by response-time state, due within the hour included, most urgent first', async () => {
    const h = await seed({
      later: { respondBy: iso(120) },
      soon: { respondBy: iso(30) },
      edge: { respondBy: iso(60) },
      overdue: { respondBy: iso(-5) },
      answered: { respondBy: iso(-60) },
      closed: { respondBy: iso(10) },
    });
    await t.store.updateHandoff(h.answered!.id, { firstReplyAt: NOW - 1 });
    await t.store.updateHandoff(h.closed!.id, { status: 'closed', closedAt: NOW - 1 });
    expect(await tickets({})).toEqual(['T-overdue', 'T-soon', 'T-edge', 'T-later', 'T-answered']);
    expect(await tickets({ state: 'due' })).toEqual(['T-soon', 'T-edge', 'T-later']);
    expect(await tickets({ state: 'due1h' })).toEqual(['T-soon', 'T-edge']);
    expect(await tickets({ state: 'overdue' })).toEqual(['T-overdue']);
    expect(await tickets({ state: 'answered' })).toEqual(['T-answered']);
    expect(await tickets({ state: 'closed' })).toEqual(['T-closed']);
    expect(await tickets({ state: 'all' })).toEqual([
      'T-overdue',
      'T-soon',
      'T-edge',
      'T-later',
      'T-answered',
      'T-closed',
    ]);
  });

  it('finds the conversations whose visitor wrote after the newest agent reply as waiting, longest first', async () => {
    const h = await seed({
      answered: { respondBy: iso(-60) },
      recent: { respondBy: iso(-90) },
      waiting: { respondBy: iso(-30) },
      again: { respondBy: iso(-20) },
      unreplied: { respondBy: iso(30) },
      closed: { respondBy: iso(10) },
      tie: { respondBy: iso(-10) },
    });
    const message = (handoff: HandoffRow, from: 'visitor' | 'agent', minutes: number) =>
      t.store.insertMessage({
        id: `${handoff.ticketId}-${from}-${minutes}`,
        handoffId: handoff.id,
        from,
        text: from === 'agent' ? 'Wir kümmern uns.' : 'Und jetzt?',
        ts: NOW + minutes * 60_000,
      });
    for (const key of ['answered', 'recent', 'waiting', 'again', 'closed', 'tie']) {
      await t.store.updateHandoff(h[key]!.id, { firstReplyAt: NOW - 100 * 60_000 });
    }
    // answered: the visitor's question, then the reply.
    await message(h.answered!, 'visitor', -50);
    await message(h.answered!, 'agent', -40);
    // recent: waits since -5 minutes; waiting: since -30 (its second message does not restart it).
    await message(h.recent!, 'agent', -60);
    await message(h.recent!, 'visitor', -5);
    await message(h.waiting!, 'agent', -45);
    await message(h.waiting!, 'visitor', -30);
    await message(h.waiting!, 'visitor', -2);
    // again: a visitor waited, and an agent answered the follow-up.
    await message(h.again!, 'agent', -50);
    await message(h.again!, 'visitor', -40);
    await message(h.again!, 'agent', -10);
    // unreplied: no agent reply yet, so due however many messages the visitor sends.
    await message(h.unreplied!, 'visitor', -3);
    await message(h.closed!, 'agent', -50);
    await message(h.closed!, 'visitor', -40);
    await t.store.updateHandoff(h.closed!.id, { status: 'closed', closedAt: NOW - 1 });
    // A message in the same millisecond as a reply counts as answered by it.
    await message(h.tie!, 'agent', -15);
    await message(h.tie!, 'visitor', -15);

    expect(await tickets({})).toEqual([
      'T-unreplied',
      'T-waiting',
      'T-recent',
      'T-answered',
      'T-again',
      'T-tie',
    ]);
    expect(await tickets({ state: 'waiting' })).toEqual(['T-waiting', 'T-recent']);
    expect(await tickets({ state: 'answered' })).toEqual(['T-answered', 'T-again', 'T-tie']);
    expect(await tickets({ state: 'due' })).toEqual(['T-unreplied']);
    expect(await tickets({ state: 'closed' })).toEqual(['T-closed']);
    expect((await tickets({ state: 'all' })).at(-1)).toBe('T-closed');
    // The same filter with a text search (a window count) and with a page size that leaves some out.
    expect(await tickets({ state: 'waiting', text: 'jetzt' })).toEqual(['T-waiting', 'T-recent']);
    expect(await t.store.searchHandoffs({ now: NOW, state: 'waiting', limit: 1 })).toMatchObject({
      total: 2,
    });
    const listed = (await t.store.searchHandoffs({ now: NOW, state: 'all' })).handoffs;
    expect(Object.fromEntries(listed.map((x) => [x.ticketId, x.waitingSince]))).toEqual({
      'T-unreplied': null,
      'T-waiting': NOW - 30 * 60_000,
      'T-recent': NOW - 5 * 60_000,
      'T-answered': null,
      'T-again': null,
      'T-tie': null,
      'T-closed': null,
    });
  });

  it('pages through the matches and counts them all', async () => {
    const rows: Record<string, Partial<HandoffRow>> = {};
    for (let i = 0; i < 7; i++) rows[`p${i}`] = { respondBy: iso(10 + i) };
    await seed(rows);
    const page1 = await t.store.searchHandoffs({ now: NOW, limit: 3 });
    const page3 = await t.store.searchHandoffs({ now: NOW, limit: 3, offset: 6 });
    expect(page1.total).toBe(7);
    expect(page1.handoffs.map((x) => x.ticketId)).toEqual(['T-p0', 'T-p1', 'T-p2']);
    expect(page3.handoffs.map((x) => x.ticketId)).toEqual(['T-p6']);
    expect(page3.total).toBe(7);
    expect(await t.store.searchHandoffs({ now: NOW, limit: 3, offset: 9 })).toEqual({
      handoffs: [],
      total: 7,
    });
    expect((await t.store.searchHandoffs({ now: NOW, text: 'nirgends' })).total).toBe(0);
    expect(await t.store.listHandoffTopics()).toEqual(['shipping']);
  });

  it('finds hostile text as text: every BLNS and H5SC string, stored and searched, without SQL errors', async () => {
    const texts = [...new Set([...h5sc, ...blns])].filter((s) => s.trim() !== '');
    const h = handoffRow({ message: 'ein harmloser Text' });
    await t.store.insertHandoff(h);
    // As search text against a harmless inbox: no error, no match (none of them is in "ein harmloser Text").
    for (const text of texts) {
      const found = await t.store.searchHandoffs({ now: NOW, text, email: text, tag: text });
      expect(found, text).toEqual({ handoffs: [], total: 0 });
    }
    // Stored as a note and found again by its own text, on both stores.
    const sample = texts.filter((_, i) => i % 7 === 0);
    for (const [i, text] of sample.entries()) {
      await t.store.insertNote({ id: `n${i}`, handoffId: h.id, agentId: 'a1', text, ts: i });
    }
    for (const text of sample) {
      expect(await tickets({ text }), JSON.stringify(text)).toEqual([h.ticketId]);
    }
  }, 120_000);

  it('keeps each agent’s saved views to that agent', async () => {
    const view = { id: 'v1', agentId: 'a1', name: 'VIP offen', query: 'tag=vip', createdAt: 2 };
    await t.store.insertSavedView(view);
    await t.store.insertSavedView({ ...view, id: 'v0', name: 'Älter', createdAt: 1 });
    await t.store.insertSavedView({ ...view, id: 'v2', agentId: 'a2', name: 'fremd' });
    expect((await t.store.listSavedViews('a1')).map((v) => v.id)).toEqual(['v0', 'v1']);
    expect(await t.store.getSavedView('v1')).toEqual(view);
    expect(await t.store.deleteSavedView('v2', 'a1')).toBe(false);
    expect(await t.store.deleteSavedView('v1', 'a1')).toBe(true);
    expect(await t.store.deleteSavedView('v1', 'a1')).toBe(false);
    expect((await t.store.listSavedViews('a2')).map((v) => v.id)).toEqual(['v2']);
    expect((await t.store.listSavedViews('a1')).map((v) => v.id)).toEqual(['v0']);
  });
});
