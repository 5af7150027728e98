// The inbox's live announcements in German and English; the live script carries both and picks by the
// page's `lang`. `{ticket}` is the ticket id the script reads from the refreshed page. `interrupted`,
// `reconnected`, `stale` and `upToDate` describe the stream and the page's data, not a conversation.
import type { PageLocale } from '../pages/i18n.js';

const de = {
  created: 'Neue Anfrage {ticket}.',
  visitorMessage: 'Neue Nachricht des Besuchers in {ticket}.',
  agentMessage: 'Neue Antwort in {ticket}.',
  changed: 'Anfrage {ticket} wurde geändert.',
  dueSoon: 'Anfrage {ticket} ist in weniger als einer Stunde fällig.',
  overdue: 'Anfrage {ticket} ist überfällig.',
  ended: 'Live-Aktualisierung beendet: Sie sind abgemeldet. Laden Sie die Seite neu.',
  interrupted: 'Live-Aktualisierung unterbrochen, verbinde neu …',
  reconnected: 'Live-Aktualisierung wieder verbunden.',
  stale: 'Die Anzeige ist nicht mehr aktuell: Aktualisieren fehlgeschlagen, neuer Versuch folgt …',
  upToDate: 'Die Anzeige ist wieder aktuell.',
  gone: 'Dieses Gespräch gibt es nicht mehr: es wurde gelöscht.',
  regionLabel: 'Live-Aktualisierungen',
};

/** The keys of the live announcements. */
export type LiveMessages = typeof de;

const en: LiveMessages = {
  created: 'New conversation {ticket}.',
  visitorMessage: 'New message from the visitor in {ticket}.',
  agentMessage: 'New reply in {ticket}.',
  changed: 'Conversation {ticket} was changed.',
  dueSoon: 'Conversation {ticket} is due within one hour.',
  overdue: 'Conversation {ticket} is overdue.',
  ended: 'Live updates stopped: you are signed out. Reload the page.',
  interrupted: 'Live updates interrupted, reconnecting…',
  reconnected: 'Live updates reconnected.',
  stale: 'What is shown may be out of date: refreshing failed, retrying…',
  upToDate: 'Up to date again.',
  gone: 'This conversation no longer exists: it was deleted.',
  regionLabel: 'Live updates',
};

/** Both catalogs, for the script that picks one in the browser. */
export const liveMessages: Record<PageLocale, LiveMessages> = { de, en };
