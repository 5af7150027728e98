/** Why a mail must never get an automatic reply (RFC 3834, RFC 3464, RFC 2369 and common practice). */
export type AutomaticKind = 'bounce' | 'auto-reply' | 'list';

/** The parts of a received mail that tell whether a machine sent it. */
export interface MailOrigin {
  /** The envelope sender (`MAIL FROM`); empty for bounces (RFC 5321 §4.5.5). */
  envelopeFrom: string;
  /** Header value by lower-case name, as the mail carries it. */
  header(name: string): string | undefined;
  /** The top-level content type, lower-case (`multipart/report` for delivery reports). */
  contentType: string;
}

const daemon = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Whether a mail was sent by a machine (a bounce or delivery report, an auto-reply or vacation
 * notice) or to a list, and so must never be answered automatically: answering those is how mail
 * loops start. Undefined for a person's mail.
 */
export function automaticKind(mail: MailOrigin): AutomaticKind | undefined {
  const from = mail.envelopeFrom.trim();
  if (from === '' || daemon.test(from) || mail.contentType === 'multipart/report') return 'bounce';
  const auto = mail.header('auto-submitted')?.trim().toLowerCase();
  if (auto !== undefined && auto !== '' && !auto.startsWith('no')) return 'auto-reply';
  if (
    mail.header('x-autoreply') !== undefined ||
    mail.header('x-autorespond') !== undefined ||
    mail.header('x-auto-response-suppress')?.toLowerCase().includes('all') === true
  ) {
    return 'auto-reply';
  }
  const precedence = mail.header('precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply') return 'auto-reply';
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return 'list';
  if (mail.header('list-id') !== undefined || mail.header('list-unsubscribe') !== undefined) {
    return 'list';
  }
  return undefined;
}
