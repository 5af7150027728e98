import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentMail, formatDue, singleLine } from './agent-mail.js';

const handoff = {
  ticketId: 'T-7K2M9Q',
  level: 2,
  topic: 'shipping',
  respondBy: '2026-12-07T15:27:47.305Z',
  message: 'Re: Retoure\n\nDas Portal zeigt mir keinen Button an.',
};
const inboxUrl = 'https://lotse.example/inbox/c/abc';

describe('agentMail', () => {
  it('writes a German team its mail in German, due time in the site’s zone', () => {
    const { subject, text } = agentMail({
      kind: 'created',
      handoff,
      locale: 'de',
      siteTitle: 'Nordlicht Outdoor',
      timeZone: 'Europe/Berlin',
      topicName: 'Versand & Lieferung',
      levelName: 'Service-Team',
      inboxUrl,
    });
    expect(subject).toBe(
      '[Nordlicht Outdoor] Neue Anfrage T-7K2M9Q: Versand & Lieferung, Stufe 2 (Service-Team)',
    );
    expect(text).toBe(
      [
        'Neue Anfrage an Nordlicht Outdoor.',
        '',
        'Ticket: T-7K2M9Q',
        'Thema: Versand & Lieferung',
        'Stufe: 2 (Service-Team)',
        'Antwort bis: Mo., 7. Dez., 16:27 (Europe/Berlin)',
        '',
        'Nachricht:',
        'Re: Retoure',
        '',
        'Das Portal zeigt mir keinen Button an.',
        '',
        'Im Posteingang öffnen: https://lotse.example/inbox/c/abc',
        '',
      ].join('\n'),
    );
  });

  it('writes an English team its overdue mail in English', () => {
    const { subject, text } = agentMail({
      kind: 'overdue',
      handoff,
      locale: 'en',
      siteTitle: 'Nordlicht Outdoor',
      timeZone: 'America/New_York',
      topicName: 'Shipping & delivery',
      levelName: 'Service team',
      inboxUrl,
    });
    expect(subject).toBe(
      '[Nordlicht Outdoor] Overdue T-7K2M9Q: Shipping & delivery, Level 2 (Service team)',
    );
    expect(text).toContain('This request to Nordlicht Outdoor is still unanswered and overdue.');
    expect(text).toContain('Respond by: Mon 7 Dec, 10:27 (America/New_York)');
    expect(text).toContain('Open in the inbox: https://lotse.example/inbox/c/abc');
  });

  it('names the topic by its id and the level by its number without a knowledge base', () => {
    const { subject, text } = agentMail({
      kind: 'created',
      handoff,
      locale: 'en',
      siteTitle: 'Shop',
      timeZone: 'UTC',
      inboxUrl,
    });
    expect(subject).toBe('[Shop] New request T-7K2M9Q: shipping, Level 2');
    expect(text).toContain('Topic: shipping\nLevel: 2\nRespond by: Mon 7 Dec, 15:27 (UTC)\n');
    const none = agentMail({
      kind: 'created',
      handoff: { ...handoff, topic: null },
      locale: 'de',
      siteTitle: 'Shop',
      timeZone: 'UTC',
      inboxUrl,
    });
    expect(none.subject).toBe('[Shop] Neue Anfrage T-7K2M9Q: Stufe 2');
    expect(none.text).not.toContain('Thema:');
  });

  it('shows the customer’s message, mail subject included, exactly once', () => {
    const { subject, text } = agentMail({
      kind: 'created',
      handoff,
      locale: 'de',
      siteTitle: 'Nordlicht',
      timeZone: 'Europe/Berlin',
      inboxUrl,
    });
    expect(text.split('Re: Retoure')).toHaveLength(2);
    expect(subject).not.toContain('Retoure');
  });

  it('keeps a site title with "$&" as written', () => {
    const { text } = agentMail({
      kind: 'created',
      handoff,
      locale: 'en',
      siteTitle: 'Bits $& Bolts',
      timeZone: 'UTC',
      inboxUrl,
    });
    expect(text.startsWith('New request to Bits $& Bolts.\n')).toBe(true);
  });

  it('keeps untrusted titles and topic names on one line in subject and fields', () => {
    const lineBreak = /[\r\n\u0085\u2028\u2029]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (title, topic) => {
        const { subject, text } = agentMail({
          kind: 'created',
          handoff: { ...handoff, message: 'm' },
          locale: 'de',
          siteTitle: `A${title}`,
          timeZone: 'UTC',
          topicName: topic,
          levelName: `${topic}\r\nBcc: evil@example.com`,
          inboxUrl,
        });
        expect(subject).not.toMatch(lineBreak);
        // Intro, blank, four fields, blank, label, message, blank, link, trailing newline.
        expect(text.split('\n')).toHaveLength(12);
      }),
    );
  });
});

describe('formatDue', () => {
  it('shows summer and winter time of the site’s zone', () => {
    expect(formatDue('2026-07-06T07:05:00Z', 'de', 'Europe/Berlin')).toBe(
      'Mo., 6. Juli, 09:05 (Europe/Berlin)',
    );
    expect(formatDue('2026-12-07T07:05:00Z', 'de', 'Europe/Berlin')).toBe(
      'Mo., 7. Dez., 08:05 (Europe/Berlin)',
    );
  });
});

describe('singleLine', () => {
  it('turns header-breaking characters into spaces', () => {
    expect(singleLine('Versand\r\nBcc: evil@example.com\u2028X\u0000Y')).toBe(
      'Versand Bcc: evil@example.com X Y',
    );
  });
});
