// The visitor's words on the agents' pages: cut in the list without breaking a character, and marked
// with their language and direction (WCAG 3.1.2; an Arabic or Hebrew message reads right to left).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffRow } from '../test-support/fixtures.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { sqliteTarget } from '../test-support/stores.js';
import { messagePreview, PREVIEW_LENGTH } from './list-page.js';

/** No lone surrogate: in Unicode mode the class matches only unpaired halves. */
const wellFormed = (text: string) => !/[\uD800-\uDFFF]/u.test(text);

describe('messagePreview', () => {
  it('never cuts an emoji in half', () => {
    const text = `${'a'.repeat(PREVIEW_LENGTH - 1)}😀 und mehr`;
    const preview = messagePreview(text);
    expect(preview).toBe('a'.repeat(PREVIEW_LENGTH - 1));
    expect(wellFormed(preview)).toBe(true);
  });

  it('keeps a family emoji or a letter with its accents whole, or leaves it out', () => {
    const family = '👨‍👩‍👧‍👦';
    const preview = messagePreview(`${'b'.repeat(PREVIEW_LENGTH - 5)}${family}!`);
    expect(preview).toBe('b'.repeat(PREVIEW_LENGTH - 5));
    expect(messagePreview(`${'c'.repeat(PREVIEW_LENGTH - 11)}${family}`)).toContain(family);
  });

  it('cuts a single grapheme longer than the preview between code points, well-formed', () => {
    const zalgo = `😀${'\u0301'.repeat(PREVIEW_LENGTH * 2)}`;
    const preview = messagePreview(zalgo);
    expect(preview.length).toBeLessThanOrEqual(PREVIEW_LENGTH);
    expect(preview.startsWith('😀')).toBe(true);
    expect(wellFormed(preview)).toBe(true);
  });

  it('leaves a short message as it is', () => {
    expect(messagePreview('Hallo 👋')).toBe('Hallo 👋');
  });
});

describe('the visitor’s text on the inbox pages', () => {
  let t: TestServer;
  let admin: AgentSession;
  beforeAll(async () => {
    t = await startTestServer(sqliteTarget);
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the list’s preview without U+FFFD when the cut falls inside an emoji', async () => {
    const h = handoffRow({
      ticketId: 'T-emoji',
      message: `${'x'.repeat(PREVIEW_LENGTH - 1)}😀😀😀`,
    });
    await t.server.store.insertHandoff(h);
    const page = await admin.get('/inbox/');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('\uFFFD');
    expect(page.text).toContain(`>${'x'.repeat(PREVIEW_LENGTH - 1)}</td>`);
  });

  it('marks the list’s message with the conversation’s language and dir="auto"', async () => {
    const h = handoffRow({ ticketId: 'T-arabic', message: 'طردي لم يصل بعد', locale: 'ar' });
    await t.server.store.insertHandoff(h);
    const page = await admin.get('/inbox/');
    expect(page.text).toContain('<td class="msg" dir="auto" lang="ar">طردي لم يصل بعد</td>');
    // A locale that is no language tag is left out rather than written into the attribute.
    const odd = handoffRow({ ticketId: 'T-odd', message: 'odd locale', locale: 'de" onload="x' });
    await t.server.store.insertHandoff(odd);
    const again = await admin.get('/inbox/');
    expect(again.text).toContain('<td class="msg" dir="auto">odd locale</td>');
  });

  it('gives the conversation’s visitor messages dir="auto" and their language', async () => {
    const h = handoffRow({ ticketId: 'T-hebrew', message: 'החבילה שלי לא הגיעה', locale: 'he' });
    await t.server.store.insertHandoff(h);
    const page = await admin.get(`/inbox/c/${h.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<p class="msg" dir="auto" lang="he">החבילה שלי לא הגיעה</p>');
    // Every visitor line of the transcript too, never an agent's.
    const visitorLines = [...page.text.matchAll(/<li class="msg-visitor"[^>]*>[\s\S]*?<\/li>/g)];
    expect(visitorLines.length).toBeGreaterThan(0);
    for (const [line] of visitorLines) expect(line).toContain('dir="auto"');
  });
});
