import type { WidgetLocale } from './resolve-locale.js';

/** Strings of the conversation view and its surveys: loaded with that view, not with the panel. */
export interface ConversationMessages {
  back: string;
  /** Log label of one conversation; `{ticket}` is its ticket id. */
  conversation: string;
  agent: string;
  closed: string;
  reopen: string;
  yourReply: string;
  sendReply: string;
  conversationFailed: string;
  csat: string;
  csatLow: string;
  csatHigh: string;
  ces: string;
  cesLow: string;
  cesHigh: string;
  nps: string;
  npsLow: string;
  npsHigh: string;
  sendRating: string;
  skip: string;
  chooseValue: string;
  thanksRating: string;
}

const de: ConversationMessages = {
  back: 'Zurück',
  conversation: 'Anfrage {ticket}',
  agent: 'Team',
  closed: 'Diese Anfrage ist abgeschlossen.',
  reopen: 'Anfrage wieder öffnen',
  yourReply: 'Ihre Antwort',
  sendReply: 'Antwort senden',
  conversationFailed:
    'Die Anfrage konnte nicht geladen werden. Bitte versuchen Sie es später noch einmal.',
  csat: 'Wie zufrieden sind Sie mit unserer Hilfe?',
  csatLow: 'sehr unzufrieden',
  csatHigh: 'sehr zufrieden',
  ces: 'Wie einfach war es, Hilfe zu bekommen? (freiwillig)',
  cesLow: 'sehr schwierig',
  cesHigh: 'sehr einfach',
  nps: 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
  npsLow: 'sehr unwahrscheinlich',
  npsHigh: 'sehr wahrscheinlich',
  sendRating: 'Bewertung senden',
  skip: 'Überspringen',
  chooseValue: 'Bitte wählen Sie einen Wert.',
  thanksRating: 'Vielen Dank für Ihre Bewertung!',
};

const en: ConversationMessages = {
  back: 'Back',
  conversation: 'Request {ticket}',
  agent: 'Team',
  closed: 'This request is closed.',
  reopen: 'Reopen request',
  yourReply: 'Your reply',
  sendReply: 'Send reply',
  conversationFailed: 'The request could not be loaded. Please try again later.',
  csat: 'How satisfied are you with our help?',
  csatLow: 'very dissatisfied',
  csatHigh: 'very satisfied',
  ces: 'How easy was it to get help? (optional)',
  cesLow: 'very difficult',
  cesHigh: 'very easy',
  nps: 'How likely are you to recommend us?',
  npsLow: 'very unlikely',
  npsHigh: 'very likely',
  sendRating: 'Send rating',
  skip: 'Skip',
  chooseValue: 'Please choose a value.',
  thanksRating: 'Thank you for your rating!',
};

/** Conversation catalog per language. */
export const conversationMessages: Record<WidgetLocale, ConversationMessages> = { de, en };
