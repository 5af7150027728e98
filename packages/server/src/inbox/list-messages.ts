// The inbox list's own copy in German and English: search, filters, views and suggested tags.
import type { PageLocale } from '../pages/i18n.js';

const de = {
  search: 'Suche',
  searchLabel: 'Text (Nachrichten, Notizen, Ticket)',
  visitorEmail: 'E-Mail des Besuchers',
  agent: 'Mitarbeiter',
  anyone: 'Alle',
  me: 'Ich',
  nobody: 'Niemand (nicht zugewiesen)',
  openStates: 'Offen (fällig, überfällig, wartet auf Antwort, beantwortet)',
  dueWithinHour: 'fällig in 1 h',
  reset: 'Filter zurücksetzen',
  views: 'Ansichten',
  viewOpen: 'Offen',
  viewMine: 'Meine',
  viewUnassigned: 'Nicht zugewiesen',
  viewDueHour: 'Fällig in 1 h',
  savedViews: 'Eigene Ansichten',
  noSavedViews: 'Noch keine eigenen Ansichten.',
  viewName: 'Name der Ansicht',
  saveView: 'Aktuellen Filter als Ansicht speichern',
  saveViewButton: 'Ansicht speichern',
  deleteView: 'Ansicht „{name}“ löschen',
  tooManyViews: 'Höchstens {max} eigene Ansichten; bitte löschen Sie zuerst eine.',
  quickTags: 'Vorgeschlagene Tags',
  suggestedTags: 'Vorgeschlagene Tags',
  otherTags: 'Weitere Tags',
  paging: 'Seiten',
  previous: 'Vorherige Seite',
  next: 'Nächste Seite',
  range: '{from}–{to} von {total}',
};

/** The inbox list's copy in one language. */
export type ListMessages = typeof de;

const en: ListMessages = {
  search: 'Search',
  searchLabel: 'Text (messages, notes, ticket)',
  visitorEmail: 'Visitor email',
  agent: 'Agent',
  anyone: 'Anyone',
  me: 'Me',
  nobody: 'Nobody (unassigned)',
  openStates: 'Open (due, overdue, awaiting reply, answered)',
  dueWithinHour: 'due within 1 h',
  reset: 'Reset filters',
  views: 'Views',
  viewOpen: 'Open',
  viewMine: 'Mine',
  viewUnassigned: 'Unassigned',
  viewDueHour: 'Due in 1 h',
  savedViews: 'My views',
  noSavedViews: 'No views of your own yet.',
  viewName: 'View name',
  saveView: 'Save the current filter as a view',
  saveViewButton: 'Save view',
  deleteView: 'Delete view “{name}”',
  tooManyViews: 'At most {max} views of your own; please delete one first.',
  quickTags: 'Suggested tags',
  suggestedTags: 'Suggested tags',
  otherTags: 'Other tags',
  paging: 'Pages',
  previous: 'Previous page',
  next: 'Next page',
  range: '{from}–{to} of {total}',
};

const catalogs: Record<PageLocale, ListMessages> = { de, en };

/** The inbox list's copy in a language. */
export function listMessagesFor(locale: PageLocale): ListMessages {
  return catalogs[locale];
}

/** Fills `{name}` placeholders of a message. */
export function fillMessage(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (all, key: string) =>
    key in values ? String(values[key]) : all,
  );
}
