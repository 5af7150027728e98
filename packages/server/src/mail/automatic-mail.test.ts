import { describe, expect, it } from 'vitest';
import { automaticKind } from './automatic-mail.js';

const mail = (
  envelopeFrom: string,
  headers: Record<string, string> = {},
  contentType = 'text/plain',
) => ({
  envelopeFrom,
  header: (name: string) => headers[name],
  contentType,
});

describe('automaticKind', () => {
  it.each([
    ['an empty envelope sender (a bounce)', mail(''), 'bounce'],
    ['MAILER-DAEMON', mail('MAILER-DAEMON@mx.example.com'), 'bounce'],
    ['a delivery report', mail('x@example.com', {}, 'multipart/report'), 'bounce'],
    [
      'Auto-Submitted: auto-replied',
      mail('eva@example.com', { 'auto-submitted': 'auto-replied' }),
      'auto-reply',
    ],
    [
      'Auto-Submitted: auto-generated',
      mail('eva@example.com', { 'auto-submitted': 'auto-generated' }),
      'auto-reply',
    ],
    ['X-Autoreply', mail('eva@example.com', { 'x-autoreply': 'yes' }), 'auto-reply'],
    ['Precedence: auto_reply', mail('eva@example.com', { precedence: 'auto_reply' }), 'auto-reply'],
    ['Precedence: bulk', mail('news@example.com', { precedence: 'bulk' }), 'list'],
    ['List-Id', mail('list@example.com', { 'list-id': '<talk.example.com>' }), 'list'],
  ])('refuses to answer %s', (_name, input, expected) => {
    expect(automaticKind(input)).toBe(expected);
  });

  it('answers a person (Auto-Submitted: no counts as a person)', () => {
    expect(automaticKind(mail('eva@example.com'))).toBeUndefined();
    expect(automaticKind(mail('eva@example.com', { 'auto-submitted': 'no' }))).toBeUndefined();
  });
});
