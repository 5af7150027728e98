import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { parseMail } from './process-mail.js';

// A download is never rendered: should a browser still try, it gets no scripts, no plugins and an
// opaque origin.
const DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/**
 * `Content-Disposition` of a download: always `attachment`, with an ASCII fallback name and the real
 * one as RFC 5987 UTF-8 (`filename*`), so no name can break out of the header.
 *
 * @example
 * contentDisposition('Rechnung März.pdf') // attachment; filename="Rechnung Mrz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '').trim() || 'attachment';
  const encoded = encodeURIComponent(filename).replace(
    /['()*!]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * `GET /inbox/attachments/:id`: a received mail's attachment for a signed-in agent (requireAgent of
 * `/inbox/*`), as a download only. Like the conversation it belongs to: an attachment of mail that
 * never became a conversation (answered automatically, ignored) is not found, as is one whose
 * content was not kept.
 */
export function registerAttachmentRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/inbox/attachments/:id', async (c) => {
    c.header('Cache-Control', 'private, no-store');
    const a = await deps.store.getAttachment(c.req.param('id').slice(0, 100));
    // A mail's conversation exists while the mail does (deleting it deletes the mail), so its id
    // is all the check needs.
    if (a === undefined || a.handoffId === null) {
      return apiError(c, 404, 'not_found', 'No such attachment.', 'id');
    }
    if (a.content === null) {
      return apiError(c, 404, 'not_kept', 'This attachment was over the size limit and not kept.');
    }
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Disposition', contentDisposition(a.filename));
    c.header('Content-Security-Policy', DOWNLOAD_CSP);
    c.header('Content-Length', String(a.content.length));
    return c.body(new Uint8Array(a.content), 200);
  });

  // A received mail of a conversation, whole: the conversation shows a mail's own words clipped
  // to 5 000 characters (process-mail.ts), the raw mail is kept. As with an attachment, only a
  // mail of a conversation is found.
  const conversationMail = async (id: string) => {
    const mail = await deps.store.getMail(id.slice(0, 100));
    return mail === undefined || mail.handoffId === null || mail.direction !== 'in'
      ? undefined
      : mail;
  };

  /** `GET /inbox/mails/:id/text`: the mail's header fields and its whole text, as plain text. */
  app.get('/inbox/mails/:id/text', async (c) => {
    c.header('Cache-Control', 'private, no-store');
    const mail = await conversationMail(c.req.param('id'));
    if (mail === undefined) return apiError(c, 404, 'not_found', 'No such mail.', 'id');
    let text: string;
    try {
      const parsed = await parseMail(mail.raw);
      const field = (name: string, value: string | undefined) =>
        value === undefined || value === '' ? [] : [`${name}: ${value.replace(/[\r\n]+/g, ' ')}`];
      text = [
        ...field('From', parsed.from?.text),
        ...field(
          'To',
          [parsed.to ?? []]
            .flat()
            .map((a) => a.text)
            .join(', '),
        ),
        ...field(
          'Cc',
          [parsed.cc ?? []]
            .flat()
            .map((a) => a.text)
            .join(', '),
        ),
        ...field('Date', parsed.date?.toISOString()),
        ...field('Subject', parsed.subject),
        '',
        parsed.text ?? '',
      ].join('\n');
    } catch {
      text = mail.raw.toString('utf8');
    }
    // Shown, never run: plain text, not sniffed, and no scripts should a browser think otherwise.
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', DOWNLOAD_CSP);
    return c.body(text, 200);
  });

  /** `GET /inbox/mails/:id/raw`: the mail as received, a `.eml` download. */
  app.get('/inbox/mails/:id/raw', async (c) => {
    c.header('Cache-Control', 'private, no-store');
    const mail = await conversationMail(c.req.param('id'));
    if (mail === undefined) return apiError(c, 404, 'not_found', 'No such mail.', 'id');
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Disposition', contentDisposition(`mail-${mail.id}.eml`));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', DOWNLOAD_CSP);
    c.header('Content-Length', String(mail.raw.length));
    return c.body(new Uint8Array(mail.raw), 200);
  });
}
