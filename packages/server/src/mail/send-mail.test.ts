import { describe, expect, it } from 'vitest';
import { ratingToken, readRatingToken, replySubject } from './send-mail.js';

const secret = Buffer.from('a-server-secret-of-thirty-two-bytes!');

describe('rating tokens', () => {
  it('reads back the mail id of its own token only', () => {
    const token = ratingToken(secret, 'mail-1');
    expect(readRatingToken(secret, token)).toBe('mail-1');
    expect(readRatingToken(Buffer.from('another-secret-another-secret-xx'), token)).toBeUndefined();
    expect(readRatingToken(secret, `mail-2${token.slice(6)}`)).toBeUndefined();
    expect(readRatingToken(secret, `${token.slice(0, -1)}A`)).toBeUndefined();
    expect(readRatingToken(secret, 'no-dot')).toBeUndefined();
    expect(readRatingToken(secret, `${'x'.repeat(300)}.y`)).toBeUndefined();
  });
});

describe('replySubject', () => {
  it('adds "Re:" once and keeps header text on one line', () => {
    expect(replySubject('Lieferzeit')).toBe('Re: Lieferzeit');
    expect(replySubject('AW: Lieferzeit')).toBe('AW: Lieferzeit');
    expect(replySubject('Hallo\r\nBcc: evil@example.com')).toBe('Re: Hallo Bcc: evil@example.com');
    expect(replySubject(null)).toBe('Re:');
  });

  it('names the request when the mail had no subject', () => {
    expect(replySubject('', 'Ihre Anfrage T-1234')).toBe('Re: Ihre Anfrage T-1234');
    expect(replySubject(' \r\n', 'your request to\r\nNordlicht')).toBe(
      'Re: your request to Nordlicht',
    );
    expect(replySubject('Lieferzeit', 'Ihre Anfrage T-1234')).toBe('Re: Lieferzeit');
  });
});
