import type { WidgetLocale } from './resolve-locale.js';

/** Every string the panel shows; German uses "Sie". */
export interface PanelMessages {
  close: string;
  history: string;
  /** Name of the panel's scrolling area (a focusable region, so keyboards can scroll it). */
  content: string;
  greeting: string;
  question: string;
  questionHint: string;
  ask: string;
  suggestions: string;
  person: string;
  loading: string;
  modelFailed: string;
  helpful: string;
  yes: string;
  no: string;
  thanksYes: string;
  sorryNo: string;
  didYouMean: string;
  noAnswer: string;
  handoffIntro: string;
  complaintIntro: string;
  personIntro: string;
  notHelpfulIntro: string;
  email: string;
  message: string;
  consent: string;
  send: string;
  sending: string;
  invalidEmail: string;
  invalidMessage: string;
  invalidConsent: string;
  sendFailed: string;
  sentTitle: string;
  /** Confirmation; `{time}` is the promised response time, `{ticket}` the ticket id. */
  sent: string;
  /** `{date}` is when the answer is due at the latest. */
  sentBy: string;
  askAnother: string;
  personReason: string;
  notHelpfulReason: string;
  you: string;
  bot: string;
  /** Heading of the visitor's earlier requests. */
  requests: string;
  /** A request in the list; `{ticket}` is its ticket id. */
  request: string;
  newReplies: (n: number) => string;
  minutes: (n: number) => string;
  hours: (n: number) => string;
  workingDays: (n: number) => string;
}

const de: PanelMessages = {
  close: 'Schließen',
  history: 'Verlauf',
  content: 'Gespräch',
  greeting: 'Guten Tag! Stellen Sie Ihre Frage, wir helfen Ihnen gern weiter.',
  question: 'Ihre Frage',
  questionHint: 'Vorschläge erscheinen beim Tippen; mit den Pfeiltasten auswählen.',
  ask: 'Fragen',
  suggestions: 'Vorschläge',
  person: 'Mit einem Menschen sprechen',
  loading: 'Einen Moment, die Hilfe wird geladen …',
  modelFailed:
    'Die Antworten konnten nicht geladen werden. Unser Team hilft Ihnen gern persönlich.',
  helpful: 'Hat Ihnen das geholfen?',
  yes: 'Ja',
  no: 'Nein',
  thanksYes: 'Das freut uns! Fragen Sie gern jederzeit wieder.',
  sorryNo: 'Das tut uns leid. Vielleicht passt eine dieser Antworten:',
  didYouMean: 'Meinten Sie …',
  noAnswer: 'Dazu haben wir leider keine passende Antwort. Unser Team hilft Ihnen gern persönlich.',
  handoffIntro: 'Darum kümmert sich am besten unser Team persönlich. Schreiben Sie uns kurz:',
  complaintIntro: 'Das tut uns sehr leid. Unser Team kümmert sich persönlich darum:',
  personIntro: 'Gern verbinden wir Sie mit unserem Team. Schreiben Sie uns kurz:',
  notHelpfulIntro: 'Das hat leider nicht geholfen. Unser Team kümmert sich persönlich darum:',
  email: 'E-Mail',
  message: 'Nachricht',
  consent:
    'Ich bin einverstanden, dass meine Nachricht und E-Mail-Adresse gespeichert werden, um meine Anfrage zu beantworten, und dass dieser Browser einen Zugangsschlüssel zur Anfrage speichert, damit ich die Antwort hier lesen kann.',
  send: 'Senden',
  sending: 'Wird gesendet …',
  invalidEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  invalidMessage: 'Bitte schreiben Sie uns eine Nachricht (höchstens 5000 Zeichen).',
  invalidConsent: 'Bitte stimmen Sie zu, damit wir Ihnen antworten können.',
  sendFailed: 'Das Senden hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
  sentTitle: 'Vielen Dank!',
  sent: 'Ihre Anfrage ist bei uns angekommen (Ticket {ticket}). Wir antworten Ihnen innerhalb von {time}.',
  sentBy: 'Spätestens am {date}.',
  askAnother: 'Noch eine Frage stellen',
  personReason: 'Die Person möchte mit einem Menschen sprechen.',
  notHelpfulReason: 'Die Antworten haben zweimal nicht geholfen.',
  you: 'Sie',
  bot: 'Hilfe',
  requests: 'Ihre Anfragen',
  request: 'Anfrage {ticket}',
  newReplies: (n) => (n === 1 ? '1 neue Antwort' : `${n} neue Antworten`),
  minutes: (n) => (n === 1 ? '1 Minute' : `${n} Minuten`),
  hours: (n) => (n === 1 ? '1 Stunde' : `${n} Stunden`),
  workingDays: (n) => (n === 1 ? '1 Werktag' : `${n} Werktagen`),
};

const en: PanelMessages = {
  close: 'Close',
  history: 'Conversation',
  content: 'Chat',
  greeting: 'Hello! Ask your question and we will be glad to help.',
  question: 'Your question',
  questionHint: 'Suggestions appear as you type; choose one with the arrow keys.',
  ask: 'Ask',
  suggestions: 'Suggestions',
  person: 'Talk to a person',
  loading: 'One moment, loading help …',
  modelFailed: 'The answers could not be loaded. Our team will gladly help you in person.',
  helpful: 'Did this answer your question?',
  yes: 'Yes',
  no: 'No',
  thanksYes: 'Glad we could help! Ask again any time.',
  sorryNo: 'Sorry about that. Perhaps one of these answers fits:',
  didYouMean: 'Did you mean …',
  noAnswer: 'We have no matching answer for that. Our team will gladly help you in person.',
  handoffIntro: 'This is best handled by our team in person. Write us a few lines:',
  complaintIntro: 'We are very sorry. Our team will take care of this personally:',
  personIntro: 'We will gladly connect you with our team. Write us a few lines:',
  notHelpfulIntro: 'That did not help, sorry. Our team will take care of it personally:',
  email: 'Email',
  message: 'Message',
  consent:
    'I agree that my message and email address are stored to answer my request, and that this browser keeps an access key to the request so that I can read the reply here.',
  send: 'Send',
  sending: 'Sending …',
  invalidEmail: 'Please enter a valid email address.',
  invalidMessage: 'Please write us a message (at most 5000 characters).',
  invalidConsent: 'Please agree so that we can answer you.',
  sendFailed: 'Sending failed. Please try again.',
  sentTitle: 'Thank you!',
  sent: 'We have received your request (ticket {ticket}). We will answer within {time}.',
  sentBy: 'By {date} at the latest.',
  askAnother: 'Ask another question',
  personReason: 'The visitor asked to talk to a person.',
  notHelpfulReason: 'The answers did not help twice in a row.',
  you: 'You',
  bot: 'Help',
  requests: 'Your requests',
  request: 'Request {ticket}',
  newReplies: (n) => (n === 1 ? '1 new reply' : `${n} new replies`),
  minutes: (n) => (n === 1 ? '1 minute' : `${n} minutes`),
  hours: (n) => (n === 1 ? '1 hour' : `${n} hours`),
  workingDays: (n) => (n === 1 ? '1 working day' : `${n} working days`),
};

/** Panel catalog per language. */
export const panelMessages: Record<WidgetLocale, PanelMessages> = { de, en };
