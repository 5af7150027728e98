import type { PageLocale } from '../pages/i18n.js';

// The copy of the agents' notification mails. Field labels say what the inbox's columns say
// (pages/i18n.ts: "Stufe", "Thema", "Antwort bis"), so a mail and the inbox read alike.
const de = {
  created: 'Neue Anfrage',
  overdue: 'Überfällig',
  followUp: 'Neue Nachricht',
  createdIntro: 'Neue Anfrage an {site}.',
  overdueIntro: 'Diese Anfrage an {site} ist noch unbeantwortet und überfällig.',
  followUpIntro: 'Zu dieser Anfrage an {site} hat die Kundin oder der Kunde wieder geschrieben.',
  ticket: 'Ticket',
  topic: 'Thema',
  level: 'Stufe',
  respondBy: 'Antwort bis',
  message: 'Nachricht',
  openInInbox: 'Im Posteingang öffnen',
};

const en: AgentMailMessages = {
  created: 'New request',
  overdue: 'Overdue',
  followUp: 'New message',
  createdIntro: 'New request to {site}.',
  overdueIntro: 'This request to {site} is still unanswered and overdue.',
  followUpIntro: 'The customer wrote again about this request to {site}.',
  ticket: 'Ticket',
  topic: 'Topic',
  level: 'Level',
  respondBy: 'Respond by',
  message: 'Message',
  openInInbox: 'Open in the inbox',
};

/** The agents' notification strings in one language. */
export type AgentMailMessages = { readonly [K in keyof typeof de]: string };

const catalogs: Record<PageLocale, AgentMailMessages> = { de, en };

/** The agents' notification copy in `locale`. */
export function agentMailMessages(locale: PageLocale): AgentMailMessages {
  return catalogs[locale];
}
