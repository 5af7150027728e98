import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import type { AttachmentInfo } from './attachment-queries.js';
import { mailMessages } from './mail-messages.js';

/**
 * A size as people read it: bytes below 1 KB, else KB or MB with one decimal in the locale's style.
 *
 * @example
 * fileSize(1_572_864, 'de') // '1,5 MB'
 */
export function fileSize(bytes: number, locale: PageLocale): string {
  const t = mailMessages(locale);
  if (bytes < 1024) return `${bytes} ${t.bytes}`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1024 / 1024, 'MB'];
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  return `${number} ${unit}`;
}

/**
 * A mail's attachments beside its message in the conversation: name (as text), type, size and a
 * download link; one not kept says so instead of the link. Nothing when there are none.
 */
export function attachmentList(
  files: readonly AttachmentInfo[] | undefined,
  locale: PageLocale,
): SafeHtml | null {
  if (files === undefined || files.length === 0) return null;
  const t = mailMessages(locale);
  return html`<ul class="attachments" aria-label="${t.attachments}">
    ${files.map(
      (f) =>
        html`<li>${
          f.kept
            ? html`<a href="/inbox/attachments/${encodeURIComponent(f.id)}" download>${f.filename}</a>`
            : html`<span>${f.filename}</span>`
        } · ${f.contentType} · ${fileSize(f.size, locale)}${
          f.kept ? null : html` · <strong class="warning">${t.notKept}</strong>`
        }</li>`,
    )}
  </ul>`;
}
