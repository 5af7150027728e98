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
  tooManyLogins: 'Zu viele Anmeldeversuche. Bitte versuchen Sie es später erneut.',
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
  answered: 'beantwortet',
  closed: 'geschlossen',
  open: 'offen',
  unassigned: 'niemand',
  mine: 'Mir zugewiesen',
  noConversations: 'Keine Gespräche.',
  transcript: 'Verlauf',
  visitor: 'Besucher',
  bot: 'Assistent',
  agent: 'Mitarbeiter',
  reasons: 'Gründe der Einstufung',
  signals: 'Signale',
  confidence: 'Sicherheit',
  playbook: 'Vorgehen',
  noPlaybook: 'Kein Vorgehen hinterlegt.',
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
  invalidLink: 'Dieser Link ist ungültig oder abgelaufen.',
  passwordTooShort: 'Das Passwort braucht mindestens 12 Zeichen.',
  inviteLink: 'Einladungslink (einmal gültig, 7 Tage)',
  saved: 'Gespeichert.',
  newSite: 'neue Website',
  skip: 'Zum Inhalt springen',
  mainNav: 'Hauptnavigation',
  roleAdmin: 'Administrator',
  roleAgent: 'Mitarbeiter',
  roleEditor: 'Mitarbeiter mit Wissensdatenbank-Rechten',
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
  tooManyLogins: 'Too many sign-in attempts. Please try again later.',
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
  answered: 'answered',
  closed: 'closed',
  open: 'open',
  unassigned: 'nobody',
  mine: 'Assigned to me',
  noConversations: 'No conversations.',
  transcript: 'Transcript',
  visitor: 'Visitor',
  bot: 'Assistant',
  agent: 'Agent',
  reasons: 'Triage reasons',
  signals: 'Signals',
  confidence: 'Confidence',
  playbook: 'Playbook',
  noPlaybook: 'No playbook for this topic.',
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
  invalidLink: 'This link is invalid or has expired.',
  passwordTooShort: 'The password needs at least 12 characters.',
  inviteLink: 'Invitation link (valid once, 7 days)',
  saved: 'Saved.',
  newSite: 'new site',
  skip: 'Skip to content',
  mainNav: 'Main navigation',
  roleAdmin: 'Admin',
  roleAgent: 'Agent',
  roleEditor: 'Agent with knowledge-base rights',
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
};

const catalogs: Record<PageLocale, Messages> = { de, en };

/** An agent's role in the page language. */
export function roleName(t: Messages, role: string): string {
  if (role === 'admin') return t.roleAdmin;
  if (role === 'agent') return t.roleAgent;
  if (role === 'editor') return t.roleEditor;
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
