import type { PageLocale } from '../pages/i18n.js';

// The mail channel's copy: what the customer reads in an automatic reply and on the rating page,
// and how agents see a mail's attachments.
const de = {
  replySubject: 'Re:',
  /** The subject's words for a mail that had none: "Re: Ihre Anfrage T-…". */
  yourRequest: 'Ihre Anfrage',
  /** The subject of an agent's first reply to a widget visitor: "Nordlicht: Antwort auf Ihre Anfrage T-…". */
  replyToRequest: 'Antwort auf Ihre Anfrage',
  /** The same for an automatic reply, which has no ticket: "Re: Ihre Anfrage an Nordlicht". */
  yourRequestTo: 'Ihre Anfrage an',
  autoReplyIntro:
    'Guten Tag,\n\nvielen Dank für Ihre Nachricht. Hier ist die Antwort auf Ihre Frage:',
  solvedQuestion: 'Hat das Ihre Frage beantwortet?',
  yes: 'Ja',
  no: 'Nein',
  replyForPerson:
    'Antworten Sie einfach auf diese E-Mail, wenn noch etwas offen ist: Dann kümmert sich ein Mensch aus unserem Team darum.',
  autoNote: 'Diese Antwort wurde automatisch aus unserer Hilfe zusammengestellt.',
  ratePageTitle: 'Hat das Ihre Frage beantwortet?',
  rateIntro: 'Bitte bestätigen Sie Ihre Antwort:',
  rateYes: 'Ja, meine Frage ist beantwortet',
  rateNo: 'Nein, ich brauche noch Hilfe',
  thanksYes: 'Danke für Ihre Rückmeldung! Schön, dass wir helfen konnten.',
  thanksNo:
    'Danke für Ihre Rückmeldung. Ein Mensch aus unserem Team meldet sich bei Ihnen per E-Mail.',
  unknownLink: 'Dieser Link ist ungültig oder abgelaufen.',
  agentTeam: 'Ihr Team von',
  attachments: 'Anhänge',
  notKept: 'nicht gespeichert: größer als die Grenze der Website',
  bytes: 'Bytes',
};

const en: Messages = {
  replySubject: 'Re:',
  yourRequest: 'your request',
  replyToRequest: 'reply to your request',
  yourRequestTo: 'your request to',
  autoReplyIntro: 'Hello,\n\nthank you for your message. Here is the answer to your question:',
  solvedQuestion: 'Did this answer your question?',
  yes: 'Yes',
  no: 'No',
  replyForPerson:
    'If anything is still open, simply reply to this email and a person from our team will take care of it.',
  autoNote: 'This answer was put together automatically from our help pages.',
  ratePageTitle: 'Did this answer your question?',
  rateIntro: 'Please confirm your answer:',
  rateYes: 'Yes, my question is answered',
  rateNo: 'No, I still need help',
  thanksYes: 'Thank you for your feedback! We are glad we could help.',
  thanksNo: 'Thank you for your feedback. A person from our team will get back to you by email.',
  unknownLink: 'This link is invalid or has expired.',
  agentTeam: 'Your team at',
  attachments: 'Attachments',
  notKept: 'not kept: larger than the site’s limit',
  bytes: 'bytes',
};

/** The mail channel's strings in one language. */
export type Messages = { readonly [K in keyof typeof de]: string };

/** The mail channel's copy in `locale`; anything but German is English. */
export function mailMessages(locale: PageLocale | string | null): Messages {
  return locale?.startsWith('de') === true ? de : en;
}
