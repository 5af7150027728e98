// The conversation page's copy about a conversation's mails in German and English: who sent a mail,
// a reply that came back undelivered, and where to read a whole mail.
import type { PageLocale } from '../pages/i18n.js';

const de = {
  otherSender:
    'Anderer Absender: Diese E-Mail kam von {sender}, nicht von der Adresse der Kundin oder des Kunden ({customer}). Prüfen Sie, wer schreibt, bevor Sie darauf eingehen.',
  replyBounced:
    'Nicht zugestellt: Die Antwort per E-Mail von {time} kam als unzustellbar zurück ({reason}). Bitte auf anderem Weg antworten.',
  wholeMail: 'Ganze E-Mail lesen',
  rawMail: 'Original (.eml) herunterladen',
  // Visually hidden after each link: the links repeat under every mail (WCAG 2.4.4 link purpose).
  whichMail: 'E-Mail vom {time}',
};

/** The conversation page's copy about mails in one language. */
export type ConversationMessages = typeof de;

const en: ConversationMessages = {
  otherSender:
    'Different sender: this mail came from {sender}, not from the customer’s address ({customer}). Check who is writing before acting on it.',
  replyBounced:
    'Not delivered: the reply by e-mail of {time} came back undeliverable ({reason}). Please answer another way.',
  wholeMail: 'Read the whole mail',
  rawMail: 'Download the original (.eml)',
  whichMail: 'mail of {time}',
};

const catalogs: Record<PageLocale, ConversationMessages> = { de, en };

/** The conversation page's copy about mails in a language. */
export function conversationMessagesFor(locale: PageLocale): ConversationMessages {
  return catalogs[locale];
}
