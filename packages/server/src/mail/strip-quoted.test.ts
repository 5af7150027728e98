import { describe, expect, it } from 'vitest';
import { stripQuoted, writesOnlyAbove } from './strip-quoted.js';

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

  it('keeps the words a customer wrote under the quote (bottom-posting), without the signature', () => {
    const text =
      'Am Mo., 1. Dez. 2025 um 10:00 Uhr schrieb Nordlicht <hilfe@nordlicht.test>:\n> Ihr Paket ist unterwegs.\n>\n> Ihr Team\n\nEs ist immer noch nicht da, Bestellung 4711.\n\n-- \nKlaus Muster';
    expect(stripQuoted(text)).toBe('Es ist immer noch nicht da, Bestellung 4711.');
    const wrapped =
      'On Mon, 1 Dec 2025 at 10:00, Nordlicht Outdoor\n<hilfe@nordlicht.test> wrote:\n> Your parcel …\n\nStill nothing.';
    expect(stripQuoted(wrapped)).toBe('Still nothing.');
    // Only the quote, nothing under it: nothing of theirs.
    expect(stripQuoted('On Mon, 1 Dec 2025, Shop wrote:\n> Your parcel …\n')).toBe('');
  });

  it('reads a bottom-posted thank-you as all the customer wrote, and words on both sides as not', () => {
    const below = 'Am 1.12.2025 schrieb Nordlicht:\n> Das Etikett …\n\nDanke, hat geklappt!';
    expect(stripQuoted(below)).toBe('Danke, hat geklappt!');
    expect(writesOnlyAbove(below)).toBe(true);
    const interleaved =
      'Am 1.12.2025 schrieb Nordlicht:\n> Das Etikett …\n\nDanke!\n\nAm 30.11.2025 schrieb Klaus:\n> Wo ist es?\n\nAber der Drucker streikt.';
    expect(stripQuoted(interleaved)).toBe('Danke!');
    expect(writesOnlyAbove(interleaved)).toBe(false);
  });

  it.each([
    [
      'Gmail',
      'Fwd: Abmahnung',
      'Bitte ansehen.\n\n---------- Forwarded message ---------\nFrom: Kanzlei <recht@kanzlei.example>\nDate: Mon, 1 Dec 2025\nSubject: Abmahnung\n\nWir fordern Sie auf, bis zum 10.12. zu zahlen, Bestellung 4711.',
    ],
    [
      'German Gmail, under a signature',
      'WG: Abmahnung',
      'Siehe unten.\n\n-- \nKlaus\n\n---------- Weitergeleitete Nachricht ---------\nVon: Kanzlei <recht@kanzlei.example>\nDatum: Mo., 1. Dez. 2025\n\nWir fordern Sie auf, bis zum 10.12. zu zahlen, Bestellung 4711.',
    ],
    [
      'Outlook',
      'WG: Abmahnung',
      'Zur Info.\n\n-----Ursprüngliche Nachricht-----\nVon: Kanzlei <recht@kanzlei.example>\nGesendet: Montag, 1. Dezember 2025 10:00\nBetreff: Abmahnung\n\nWir fordern Sie auf, bis zum 10.12. zu zahlen, Bestellung 4711.',
    ],
  ])('keeps a forwarded mail (%s) under the customer’s words', (_name, subject, text) => {
    const own = stripQuoted(text, { subject });
    expect(own).toContain('Bestellung 4711');
    expect(own).toContain('recht@kanzlei.example');
    expect(own).toMatch(/^(Bitte ansehen|Siehe unten|Zur Info)\./);
    expect(own).not.toContain('Klaus');
  });

  it('still strips an Outlook quote of a reply, whose subject is no forward', () => {
    const text =
      'Danke.\n\n-----Original Message-----\nFrom: Nordlicht <hilfe@nordlicht.test>\nSent: Monday\n\nYour parcel …';
    expect(stripQuoted(text, { subject: 'RE: Paket' })).toBe('Danke.');
    expect(stripQuoted(text, { subject: 'AW: WG: Paket' })).toBe('Danke.');
  });
});
