import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** Languages of the inbox and the dashboard. */
export type PageLocale = 'de' | 'en';

const de = {
  email: 'E-Mail',
  password: 'Passwort',
  signIn: 'Anmelden',
  signInTitle: 'Anmeldung',
  signOut: 'Abmelden',
  badLogin: 'E-Mail oder Passwort ist falsch.',
  accountDeactivated:
    'Dieses Konto ist deaktiviert. Bitte wenden Sie sich an einen Administrator, wenn Sie wieder Zugang brauchen.',
  tooManyLogins: 'Zu viele Anmeldeversuche. Bitte versuchen Sie es in {minutes} Min. erneut.',
  inbox: 'Posteingang',
  dashboard: 'Kennzahlen',
  admin: 'Verwaltung',
  knowledgeBase: 'Wissensdatenbank',
  language: 'Sprache',
  conversations: 'Gespräche',
  ticket: 'Ticket',
  site: 'Website',
  queue: 'Warteschlange',
  level: 'Stufe',
  topic: 'Thema',
  state: 'Status',
  respondBy: 'Antwort bis',
  assignee: 'Zugewiesen',
  message: 'Nachricht',
  all: 'Alle',
  filter: 'Filtern',
  due: 'fällig',
  overdue: 'überfällig',
  waiting: 'wartet auf Antwort',
  waitingSince: 'wartet seit',
  answered: 'beantwortet',
  closed: 'geschlossen',
  open: 'offen',
  unassigned: 'niemand',
  mine: 'Mir zugewiesen',
  noConversations: 'Keine Gespräche.',
  transcript: 'Verlauf',
  replyRetrying:
    'Noch nicht zugestellt: die Antwort per E-Mail von {time}. Der Mailserver nahm sie nicht an; Lotse versucht es bis {until} erneut.',
  replyUndelivered:
    'Nicht zugestellt: die Antwort per E-Mail von {time}. Der Mailserver nahm sie nicht an; bitte auf anderem Weg antworten.',
  visitor: 'Besucher',
  bot: 'Assistent',
  agent: 'Mitarbeiter',
  reasons: 'Gründe der Einstufung',
  signals: 'Signale',
  confidence: 'Sicherheit',
  playbook: 'Vorgehen',
  noPlaybook: 'Kein Vorgehen hinterlegt.',
  internalNote: 'Interne Notiz',
  noteHint: 'Nur für das Team sichtbar, nie für den Besucher.',
  saveNote: 'Notiz speichern',
  tags: 'Tags',
  tag: 'Tag',
  tagsHint: 'Durch Kommas getrennt, höchstens 10 zu je 40 Zeichen.',
  saveTags: 'Tags speichern',
  reply: 'Antwort',
  sendReply: 'Antwort senden',
  close: 'Schließen',
  reopen: 'Wieder öffnen',
  assignToMe: 'Mir zuweisen',
  unassign: 'Zuweisung aufheben',
  back: 'Zurück zum Posteingang',
  period: 'Zeitraum',
  from: 'Von',
  to: 'Bis',
  show: 'Anzeigen',
  metric: 'Kennzahl',
  value: 'Wert',
  exportCsv: 'Als CSV exportieren',
  contentGaps: 'Unbeantwortete Fragen',
  question: 'Frage',
  count: 'Anzahl',
  unhelpful: 'Als nicht hilfreich bewertete Antworten',
  entry: 'Eintrag',
  byTopic: 'Nach Thema',
  byLevel: 'Nach Stufe',
  byChannel: 'Nach Kanal',
  trend: 'Verlauf pro Tag',
  day: 'Tag',
  channel: 'Kanal',
  none: '–',
  invite: 'Einladen',
  invitations: 'Einladungen',
  role: 'Rolle',
  agents: 'Mitarbeiter',
  sites: 'Websites',
  save: 'Speichern',
  settings: 'Einstellungen (JSON)',
  setPassword: 'Passwort festlegen',
  passwordSet: 'Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden.',
  passwordSetDeactivated:
    'Ihr Passwort ist gespeichert. Das Konto ist aber deaktiviert: Anmelden können Sie sich erst, wenn ein Administrator es wieder aktiviert.',
  invalidLink: 'Dieser Link ist ungültig oder abgelaufen.',
  accountExists:
    'Für diese Adresse gibt es schon ein Konto. Bitte melden Sie sich an; ein neues Passwort gibt der Befehl „lotse-server reset-password“ auf dem Server.',
  inviteExists:
    'Für diese Adresse gibt es schon ein Konto, eine Einladung ist nicht nötig. Rolle und Aktivierung ändern Sie in der Liste oben; ein neues Passwort gibt der Befehl „lotse-server reset-password“ auf dem Server.',
  passwordTooShort: 'Das Passwort braucht mindestens 12 Zeichen.',
  inviteLink: 'Einladungslink (einmal gültig, 7 Tage)',
  saved: 'Gespeichert.',
  newSite: 'neue Website',
  siteFromFile:
    'Diese Website wird bei jedem Start aus {file} geladen: Änderungen hier gelten bis zum nächsten Start. Damit sie bleiben, ändern Sie die Datei.',
  skip: 'Zum Inhalt springen',
  mainNav: 'Hauptnavigation',
  roleAdmin: 'Administrator',
  roleAgent: 'Mitarbeiter',
  roleEditor: 'Mitarbeiter mit Wissensdatenbank-Rechten',
  roleReviewer: 'Mitarbeiter, der Gespräche bewertet',
  scorecards: 'Bewertungen',
  signalComplaint: 'Beschwerde',
  signalWantsHuman: 'möchte einen Menschen sprechen',
  signalUrgent: 'dringend',
  signalOutOfScope: 'außerhalb des Angebots',
  // For the dashboard's remaining English-only labels (not yet used there).
  selfService: 'Self-Service',
  escalation: 'Eskalation',
  frtMedian: 'Erste Antwort (Median)',
  ratings: 'Bewertungen',
  channelWidget: 'Widget',
  channelEmail: 'E-Mail',
  channelApi: 'API',
  mysteryChecks: 'Mystery-Checks je Version der Wissensdatenbank',
  kbVersion: 'Version',
  publishedAt: 'Veröffentlicht',
  author: 'Autor',
  authorImport: 'Import',
  checksPassed: 'Bestanden',
  passRate: 'Quote',
  overrideReason: 'Trotz Fehlern veröffentlicht, weil',
  answersByVersion: 'Antworten je Version der Wissensdatenbank',
  answersShown: 'Angezeigte Antworten',
  ratedHelpful: 'Als hilfreich bewertet',
  answeredBy: 'Beantwortet von',
  since: 'seit',
  perDayBefore: 'Pro Tag vorher',
  perDayAfter: 'Pro Tag seitdem',
  createEntry: 'Eintrag anlegen',
  editEntry: 'Eintrag bearbeiten',
  errorTitle: 'Das hat nicht geklappt',
  errorInput: 'Die Eingabe wurde nicht angenommen.',
  errorLogin: 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.',
  errorForm:
    'Das Formular ist abgelaufen. Gehen Sie zurück, kopieren Sie Ihren Text, laden Sie das Formular neu und senden Sie es noch einmal.',
  errorForbidden: 'Dafür fehlt Ihnen die Berechtigung.',
  errorNotFound: 'Das gibt es nicht (mehr).',
  errorConflict:
    'Jemand hat das inzwischen geändert. Öffnen Sie die Seite neu, um den neuen Stand zu sehen.',
  errorTooLarge: 'Die Eingabe ist zu groß. Kürzen Sie sie und senden Sie sie erneut.',
  errorTooMany: 'Zu viele Anfragen. Bitte versuchen Sie es gleich noch einmal.',
  errorServer: 'Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es noch einmal.',
  errorDetail: 'Einzelheiten',
  errorGoTo: 'Weiter zu',
  errorBack:
    'Mit „Zurück“ im Browser kommen Sie zum Formular; Ihre Eingabe steht meist noch darin.',
} as const;

/** Every text of the agent pages. */
export type Messages = { readonly [K in keyof typeof de]: string };

const en: Messages = {
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signInTitle: 'Sign in',
  signOut: 'Sign out',
  badLogin: 'Wrong email or password.',
  accountDeactivated: 'This account is deactivated. Please ask an admin if you need access again.',
  tooManyLogins: 'Too many sign-in attempts. Please try again in {minutes} min.',
  inbox: 'Inbox',
  dashboard: 'Dashboard',
  admin: 'Administration',
  knowledgeBase: 'Knowledge base',
  language: 'Language',
  conversations: 'Conversations',
  ticket: 'Ticket',
  site: 'Site',
  queue: 'Queue',
  level: 'Level',
  topic: 'Topic',
  state: 'State',
  respondBy: 'Respond by',
  assignee: 'Assignee',
  message: 'Message',
  all: 'All',
  filter: 'Filter',
  due: 'due',
  overdue: 'overdue',
  waiting: 'awaiting reply',
  waitingSince: 'waiting since',
  answered: 'answered',
  closed: 'closed',
  open: 'open',
  unassigned: 'nobody',
  mine: 'Assigned to me',
  noConversations: 'No conversations.',
  transcript: 'Transcript',
  replyRetrying:
    'Not delivered yet: the reply by e-mail of {time}. The mail server did not take it; Lotse tries again until {until}.',
  replyUndelivered:
    'Not delivered: the reply by e-mail of {time}. The mail server did not take it; please answer another way.',
  visitor: 'Visitor',
  bot: 'Assistant',
  agent: 'Agent',
  reasons: 'Triage reasons',
  signals: 'Signals',
  confidence: 'Confidence',
  playbook: 'Playbook',
  noPlaybook: 'No playbook for this topic.',
  internalNote: 'Internal note',
  noteHint: 'Only the team sees it, never the visitor.',
  saveNote: 'Save note',
  tags: 'Tags',
  tag: 'Tag',
  tagsHint: 'Comma-separated, at most 10 of 40 characters each.',
  saveTags: 'Save tags',
  reply: 'Reply',
  sendReply: 'Send reply',
  close: 'Close',
  reopen: 'Reopen',
  assignToMe: 'Assign to me',
  unassign: 'Unassign',
  back: 'Back to the inbox',
  period: 'Period',
  from: 'From',
  to: 'To',
  show: 'Show',
  metric: 'Metric',
  value: 'Value',
  exportCsv: 'Export as CSV',
  contentGaps: 'Unanswered questions',
  question: 'Question',
  count: 'Count',
  unhelpful: 'Answers rated unhelpful',
  entry: 'Entry',
  byTopic: 'By topic',
  byLevel: 'By level',
  byChannel: 'By channel',
  trend: 'Trend per day',
  day: 'Day',
  channel: 'Channel',
  none: '–',
  invite: 'Invite',
  invitations: 'Invitations',
  role: 'Role',
  agents: 'Agents',
  sites: 'Sites',
  save: 'Save',
  settings: 'Settings (JSON)',
  setPassword: 'Set password',
  passwordSet: 'Your password is saved. You can sign in now.',
  passwordSetDeactivated:
    'Your password is saved. The account is deactivated, though: you can sign in once an admin reactivates it.',
  invalidLink: 'This link is invalid or has expired.',
  accountExists:
    'This address has an account already. Please sign in; the command “lotse-server reset-password” on the server gives a new password.',
  inviteExists:
    'This address has an account already; it needs no invitation. Change its role or reactivate it in the list above; the command “lotse-server reset-password” on the server gives a new password.',
  passwordTooShort: 'The password needs at least 12 characters.',
  inviteLink: 'Invitation link (valid once, 7 days)',
  saved: 'Saved.',
  newSite: 'new site',
  siteFromFile:
    'This site is loaded from {file} at every start: changes made here last until the next start. To keep them, change the file.',
  skip: 'Skip to content',
  mainNav: 'Main navigation',
  roleAdmin: 'Admin',
  roleAgent: 'Agent',
  roleEditor: 'Agent with knowledge-base rights',
  roleReviewer: 'Agent who reviews conversations',
  scorecards: 'Reviews',
  signalComplaint: 'complaint',
  signalWantsHuman: 'wants a person',
  signalUrgent: 'urgent',
  signalOutOfScope: 'out of scope',
  selfService: 'Self-service',
  escalation: 'Escalation',
  frtMedian: 'First response (median)',
  ratings: 'Ratings',
  channelWidget: 'Widget',
  channelEmail: 'Email',
  channelApi: 'API',
  mysteryChecks: 'Mystery checks per knowledge-base version',
  kbVersion: 'Version',
  publishedAt: 'Published',
  author: 'Author',
  authorImport: 'import',
  checksPassed: 'Passed',
  passRate: 'Pass rate',
  overrideReason: 'Published despite failures because',
  answersByVersion: 'Answers by knowledge-base version',
  answersShown: 'Answers shown',
  ratedHelpful: 'Rated helpful',
  answeredBy: 'Answered by',
  since: 'since',
  perDayBefore: 'Per day before',
  perDayAfter: 'Per day since',
  createEntry: 'Create entry',
  editEntry: 'Edit entry',
  errorTitle: 'That did not work',
  errorInput: 'The input was not accepted.',
  errorLogin: 'You are signed out. Please sign in again.',
  errorForm: 'The form has expired. Go back, copy your text, reload the form and send it again.',
  errorForbidden: "You don't have permission to do this.",
  errorNotFound: 'This does not exist (any more).',
  errorConflict:
    'Someone else changed this in the meantime. Open the page again to see the latest.',
  errorTooLarge: 'The input is too large. Shorten it and send it again.',
  errorTooMany: 'Too many requests. Please try again in a moment.',
  errorServer: 'Something went wrong on the server. Please try again.',
  errorDetail: 'Details',
  errorGoTo: 'Go to',
  errorBack:
    "Your browser's Back button returns to the form; what you typed is usually still there.",
};

const catalogs: Record<PageLocale, Messages> = { de, en };

/** An agent's role in the page language. */
export function roleName(t: Messages, role: string): string {
  if (role === 'admin') return t.roleAdmin;
  if (role === 'agent') return t.roleAgent;
  if (role === 'editor') return t.roleEditor;
  if (role === 'reviewer') return t.roleReviewer;
  return role;
}

/** A triage signal (`complaint`, `wants-human`, …) in the page language; unknown ones as they are. */
export function signalName(t: Messages, signal: string): string {
  const names: Record<string, string> = {
    complaint: t.signalComplaint,
    'wants-human': t.signalWantsHuman,
    urgent: t.signalUrgent,
    'out-of-scope': t.signalOutOfScope,
  };
  return names[signal] ?? signal;
}

/** The message catalog of a language. */
export function messagesFor(locale: PageLocale): Messages {
  return catalogs[locale];
}

/**
 * The page language: `?lang=de|en` (remembered in a cookie), else the cookie, else the first of
 * German or English in `Accept-Language`, else English.
 */
export function pickLocale(c: Context): PageLocale {
  const asked = c.req.query('lang');
  if (asked === 'de' || asked === 'en') {
    setCookie(c, 'lotse_lang', asked, { path: '/', sameSite: 'Lax', maxAge: 31_536_000 });
    return asked;
  }
  const remembered = getCookie(c, 'lotse_lang');
  if (remembered === 'de' || remembered === 'en') return remembered;
  for (const part of (c.req.header('accept-language') ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'de' || tag === 'en') return tag;
  }
  return 'en';
}
