import type { PageLocale } from '../pages/i18n.js';

const de = {
  atAGlance: 'Auf einen Blick',
  kpiConversations: 'Gespräche',
  kpiSelfService: 'Self-Service-Quote',
  kpiEscalation: 'Eskalationsquote',
  kpiFcr: 'Erstlösungsquote (FCR)',
  kpiFrt: 'Erste Antwort (Median)',
  kpiCsat: 'CSAT',
  kpiCes: 'CES',
  kpiNps: 'NPS',
  defConversations: 'Gespräche, die im Zeitraum begonnen haben.',
  defSelfService:
    'Ohne Mitarbeiter gelöst (Deflection), von allen gelösten oder übergebenen Gesprächen.',
  defEscalation: 'An einen Mitarbeiter übergeben, von allen beendeten Gesprächen.',
  defFcr: 'Geschlossene Übergaben ohne zweiten Kontakt zum selben Thema.',
  defFrt: 'Zeit von der Übergabe bis zur ersten Antwort eines Mitarbeiters (Kalenderzeit).',
  defCsat: 'Anteil der Bewertungen 4 und 5 auf der Skala 1–5.',
  defCes: 'Mittelwert auf der Skala 1–7 (7 = sehr leicht).',
  defNps: 'Promotoren (9–10) minus Kritiker (0–6), in Prozentpunkten, −100 bis 100.',
  change: 'ggü. Vorperiode',
  noPrevious: 'keine Daten in der Vorperiode',
  previousPeriod: 'Änderungen gegenüber der gleich langen Vorperiode, {from} – {to}.',
  better: 'besser',
  worse: 'schlechter',
  unchanged: 'unverändert',
  target: 'Ziel',
  gap: 'Abstand',
  targetMet: 'Ziel erreicht',
  n: 'n',
  allFigures: 'Alle Kennzahlen',
  defAbandonment:
    'Abbruchquote: Gespräche, die ohne Antwort und ohne Übergabe endeten (30 Minuten ohne „Ja“ und ohne Übergabe), von allen beendeten Gesprächen.',
  defResolved24h:
    'Gelöst innerhalb 24 h: innerhalb von 24 Stunden nach der Übergabe geschlossen, von allen geschlossenen Übergaben.',
  trendChart: 'Verlauf: Gespräche pro Tag, Self-Service und CSAT in %',
  trendTable: 'Verlauf als Tabelle',
  noTrend: 'Keine Gespräche in diesem Zeitraum.',
  distributions: 'Verteilung der Bewertungen',
  distributionOf: 'Verteilung {name} (Skala {min}–{max})',
  distributionTable: '{name} als Tabelle',
  noRatings: 'Noch keine Bewertungen',
  score: 'Bewertung',
  answers: 'Antworten',
  answersOf: '{count} Antworten mit {score}',
  filteredNps: 'Der NPS gehört zu keinem Gespräch und wird bei gesetztem Filter nicht gezeigt.',
  percentPoints: 'Pp.',
  channelShown: 'Kanal:',
  kbAllChannels:
    'Die Tabellen zur Wissensbasis (Lücken, nicht hilfreiche Antworten, Antworten je Version) zählen alle Kanäle.',
  deflectionDefinition:
    'Ohne Mitarbeiter gelöst heißt im Widget: auf „Hat Ihnen das geholfen?“ wurde „Ja“ gewählt; per E-Mail: die automatische Antwort wurde als hilfreich bewertet, oder die Kundin oder der Kunde hat 7 Tage lang nicht zurückgeschrieben (das Fenster, in dem FCR einen zweiten Kontakt zählt). Eine Antwort auf die automatische Mail oder „Nein“ übergibt an einen Menschen.',
};

/** The dashboard page's own copy (tiles, charts, empty states). */
export type DashboardMessages = { readonly [K in keyof typeof de]: string };

const en: DashboardMessages = {
  atAGlance: 'At a glance',
  kpiConversations: 'Conversations',
  kpiSelfService: 'Self-service rate',
  kpiEscalation: 'Escalation rate',
  kpiFcr: 'First contact resolution (FCR)',
  kpiFrt: 'First response (median)',
  kpiCsat: 'CSAT',
  kpiCes: 'CES',
  kpiNps: 'NPS',
  defConversations: 'Conversations that started in the period.',
  defSelfService:
    'Resolved without an agent (deflection), of all resolved or handed-off conversations.',
  defEscalation: 'Handed off to an agent, of all ended conversations.',
  defFcr: 'Closed handoffs without a second contact on the same topic.',
  defFrt: 'Time from handoff to the first agent reply (calendar time).',
  defCsat: 'Share of 4 and 5 answers on the 1–5 scale.',
  defCes: 'Mean on the 1–7 scale (7 = very easy).',
  defNps: 'Promoters (9–10) minus detractors (0–6), in points, −100 to 100.',
  change: 'vs. previous period',
  noPrevious: 'no data in the previous period',
  previousPeriod: 'Changes against the previous period of the same length, {from} – {to}.',
  better: 'better',
  worse: 'worse',
  unchanged: 'unchanged',
  target: 'Target',
  gap: 'gap',
  targetMet: 'target met',
  n: 'n',
  allFigures: 'All figures',
  defAbandonment:
    'Abandonment rate: conversations that ended without an answer or a handoff (30 minutes without a "Yes" or a handoff), of all ended conversations.',
  defResolved24h:
    'Resolved within 24 h: closed within 24 hours of the handoff, of all closed handoffs.',
  trendChart: 'Trend: conversations per day, self-service and CSAT in %',
  trendTable: 'Trend as a table',
  noTrend: 'No conversations in this period.',
  distributions: 'Distribution of ratings',
  distributionOf: '{name} distribution (scale {min}–{max})',
  distributionTable: '{name} as a table',
  noRatings: 'No ratings yet',
  score: 'Rating',
  answers: 'Answers',
  answersOf: '{count} answers of {score}',
  filteredNps: 'NPS belongs to no conversation and is not shown while a filter is set.',
  percentPoints: 'pp',
  channelShown: 'Channel:',
  kbAllChannels:
    'The knowledge-base tables (gaps, unhelpful answers, answers per version) count every channel.',
  deflectionDefinition:
    'Resolved without an agent means, in the widget: the visitor answered "Yes" to "Did this answer your question?"; by email: the automatic reply was rated helpful, or the customer did not write back for 7 days (the window in which FCR counts a second contact). An answer to the automatic mail, or "No", hands it to a person.',
};

const catalogs: Record<PageLocale, DashboardMessages> = { de, en };

/** The dashboard page's copy in a language. */
export function dashboardMessagesFor(locale: PageLocale): DashboardMessages {
  return catalogs[locale];
}
