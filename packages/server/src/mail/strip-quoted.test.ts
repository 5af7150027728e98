import { describe, expect, it } from 'vitest';
import { stripQuoted } from './strip-quoted.js';

describe('stripQuoted', () => {
  it.each([
    [
      'a German reply above the quoted history (Gmail)',
      'Danke, hat geklappt.\n\nAm Mo., 1. Dez. 2025 um 10:00 Uhr schrieb Nordlicht <hilfe@nordlicht.test>:\n> Das Etikett finden Sie …',
      'Danke, hat geklappt.',
    ],
    [
      'an English reply with a wrapped "On … wrote:"',
      'Still nothing.\r\n\r\nOn Mon, 1 Dec 2025 at 10:00, Nordlicht Outdoor\r\n<hilfe@nordlicht.test> wrote:\r\n> Your parcel …',
      'Still nothing.',
    ],
    [
      'an Outlook header block',
      'Bitte stornieren.\n\nVon: Nordlicht <hilfe@nordlicht.test>\nGesendet: Montag, 1. Dezember 2025 10:00\nAn: eva@example.com\nBetreff: …',
      'Bitte stornieren.',
    ],
    [
      'a signature and a phone footer',
      'Wie lange dauert die Lieferung?\n\n-- \nEva Muster\nMusterstraße 1',
      'Wie lange dauert die Lieferung?',
    ],
    ['a phone footer', 'Where is my parcel?\n\nSent from my iPhone', 'Where is my parcel?'],
    ['inline quote lines', '> old text\nnew text\n> more old', 'new text'],
  ])('strips %s', (_name, input, expected) => {
    expect(stripQuoted(input)).toBe(expected);
  });

  it('keeps a mail without history as it is', () => {
    expect(stripQuoted('Hallo,\n\nwo finde ich meine Rechnung?\n\nGruß Eva')).toBe(
      'Hallo,\n\nwo finde ich meine Rechnung?\n\nGruß Eva',
    );
  });

  it('keeps a line that merely starts with "From:" when no header block follows', () => {
    expect(stripQuoted('From: Berlin, where is my order?')).toBe(
      'From: Berlin, where is my order?',
    );
  });
});
