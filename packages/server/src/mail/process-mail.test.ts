import { describe, expect, it } from 'vitest';
import { parseMail, reportsFailure } from './process-mail.js';

/** A mail's header and body, as markBounced reads them. */
async function report(headers: string[], body: string[]) {
  const raw = [...headers, '', ...body, ''].join('\r\n');
  const parsed = await parseMail(Buffer.from(raw));
  return reportsFailure(parsed, `\r\n\r\n${body.join('\r\n')}`);
}

describe('reportsFailure', () => {
  it.each([
    [
      'a failed delivery status',
      [],
      ['Final-Recipient: rfc822; a@b.example', 'Action: failed'],
      true,
    ],
    ['a permanent status code alone', [], ['Status: 5.7.1'], true],
    ['Exim’s X-Failed-Recipients', ['X-Failed-Recipients: a@b.example'], ['Not delivered.'], true],
    ['a delay report', [], ['Action: delayed', 'Status: 4.4.7'], false],
    ['a delivered report', [], ['Action: delivered', 'Status: 2.0.0'], false],
    ['a read receipt', [], ['Disposition: manual-action/MDN-sent-manually; displayed'], false],
    ['a vacation notice', ['Auto-Submitted: auto-replied'], ['Ich bin im Urlaub.'], false],
  ])('%s → %s', async (_name, headers, body, failed) => {
    expect(await report(['From: x@b.example', 'Subject: s', ...headers], body)).toBe(failed);
  });
});
