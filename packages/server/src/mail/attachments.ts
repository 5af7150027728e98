import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Logger } from '../options.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { Store } from '../store/store.js';
import type { AttachmentRow } from './attachment-queries.js';

/** Default largest attachment kept: 10 MiB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

// Controls (C0, C1, DEL), format characters (the bidirectional overrides that make
// "invoice\u202Efdp.exe" read as "invoiceexe.pdf", zero-width ones) and lone surrogates (PostgreSQL
// refuses them).
const unsafeInName = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

/**
 * An attachment's file name as Lotse keeps it: the sender's text without path parts or control
 * characters, at most 200 characters; `attachment-<n>` when nothing is left.
 *
 * @example
 * attachmentName('../../etc/passwd', 0) // 'passwd'
 */
export function attachmentName(name: string | undefined, position: number): string {
  const base = (name ?? '').split(/[/\\]/).at(-1) ?? '';
  const cleaned = base.replace(unsafeInName, '').replace(/\s+/g, ' ').trim();
  const named = cleaned.replace(/^\.+/, '') === '' ? '' : cleaned;
  const short = [...named].slice(0, 200).join('');
  return short === '' ? `attachment-${position + 1}` : short;
}

/** A content type as `type/subtype` in lower case; anything else is `application/octet-stream`. */
export function attachmentType(type: string | undefined): string {
  const t = (type ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t)
    ? t
    : 'application/octet-stream';
}

/**
 * Stores a received mail's attachments: each over the site's `mail.maxAttachmentBytes` is listed
 * with its name, size and a warning, its content not kept. Deciding a mail again (after a restart)
 * stores nothing twice.
 */
export async function storeAttachments(
  deps: { store: Store; logger: Logger },
  site: ResolvedSite,
  mailId: string,
  parsed: ParsedMail,
): Promise<void> {
  if (parsed.attachments.length === 0) return;
  const limit = site.settings.mail?.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const rows = parsed.attachments.slice(0, 100).map((a, position): AttachmentRow => {
    const filename = attachmentName(a.filename, position);
    const size = a.content.length;
    const over = size > limit;
    if (over) {
      deps.logger.warn(
        `mail ${mailId} for site "${site.key}": attachment ${position + 1} (${size} bytes) is over the limit of ${limit} bytes: listed, not kept`,
      );
    }
    return {
      id: randomUUID(),
      mailId,
      position,
      filename,
      contentType: attachmentType(a.contentType),
      size,
      content: over ? null : a.content,
      warning: over ? `over the limit of ${limit} bytes: not kept` : null,
    };
  });
  if (parsed.attachments.length > 100) {
    deps.logger.warn(
      `mail ${mailId} for site "${site.key}" has ${parsed.attachments.length} attachments: the first 100 are kept`,
    );
  }
  await deps.store.insertAttachments(rows);
}
