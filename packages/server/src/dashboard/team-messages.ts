import type { PageLocale } from '../pages/i18n.js';
import type { TeamTargetKey } from '../sites/site-settings.js';

/** A figure's name and its one-line definition, as the page and its legend show them. */
export interface FigureCopy {
  name: string;
  definition: string;
}

const de = {
  title: 'Team',
  overview: 'Überblick',
  teamView: 'Teamzahlen',
  period: 'Zeitraum',
  site: 'Website',
  from: 'Von',
  to: 'Bis',
  agent: 'Mitarbeiter',
  allAgents: 'Alle',
  show: 'Anzeigen',
  exportCsv: 'Als CSV exportieren',
  team: 'Team',
  figure: 'Kennzahl',
  value: 'Wert',
  previous: 'Vorperiode',
  change: 'Veränderung',
  target: 'Ziel',
  gap: 'Abstand zum Ziel',
  n: 'n',
  definitions: 'Definitionen',
  criteria: 'Bewertungsbogen je Kriterium',
  criterion: 'Kriterium',
  scorecard: 'Bewertungsbogen',
  noData: 'Keine Gespräche in diesem Zeitraum.',
  ownOnly: 'Sie sehen Ihre eigenen Zahlen; die Ihrer Kollegen gibt der Inhaber nicht frei.',
  ownScoresOnly:
    'Bewertungsbögen sehen Sie nur für Ihre eigenen Gespräche; die Werte Ihrer Kollegen gibt der Inhaber nicht frei.',
  better: 'besser',
  worse: 'schlechter',
  previousPeriod: 'Vorperiode: {from} bis {to}',
  costNote:
    'Kosten aus {rate} {currency} je bezahlter Stunde und {hours} Stunden pro Woche für jede Person mit zugewiesenen Gesprächen im Zeitraum; wer nur nicht zugewiesene Gespräche bearbeitet, zählt nicht mit.',
  noCost: 'Kein Kostensatz in den Website-Einstellungen (team.costPerHour).',
  figures: {
    handled: {
      name: 'Bearbeitete Gespräche',
      definition:
        'Im Zeitraum übergebene Gespräche mit mindestens einer Antwort, dem Mitarbeiter zugewiesen.',
    },
    frtMedian: {
      name: 'Erste Antwort (Median)',
      definition: 'Median der Zeit von der Übergabe bis zur ersten Antwort.',
    },
    frtP90: {
      name: 'Erste Antwort (p90)',
      definition: '90 % der ersten Antworten kamen schneller (Rangmethode).',
    },
    frtBusinessMedian: {
      name: 'Erste Antwort in Geschäftszeit (Median)',
      definition: 'Wie oben, nur Zeit innerhalb der Geschäftszeiten der Website gezählt.',
    },
    frtBusinessP90: {
      name: 'Erste Antwort in Geschäftszeit (p90)',
      definition: 'p90 der ersten Antwort, nur Geschäftszeit gezählt.',
    },
    handlingMedian: {
      name: 'Bearbeitungszeit (Median)',
      definition:
        'Median der Zeit von der ersten Antwort bis zum Abschluss, abgeschlossene Gespräche.',
    },
    activeMedian: {
      name: 'Aktive Zeit (Median)',
      definition:
        'Je Antwort, Notiz, abgehaktem Schritt und Abschluss die Zeit seit dem vorigen Ereignis des Gesprächs, höchstens 5 min je Aktion, summiert.',
    },
    fcr: {
      name: 'Erstlösungsquote (FCR)',
      definition:
        'Abgeschlossene Gespräche, nie wieder geöffnet und ohne neues Gespräch desselben Besuchers zum selben Thema (auch ohne Übergabe) binnen 7 Tagen und vor Ende des Zeitraums, ÷ abgeschlossene; wie im Dashboard.',
    },
    reopenRate: {
      name: 'Wiedereröffnungsquote',
      definition: 'Abgeschlossene Gespräche, die wieder geöffnet wurden, ÷ abgeschlossene.',
    },
    csat: {
      name: 'CSAT',
      definition: 'Anteil der Bewertungen 4 oder 5 (von 1–5) zu diesen Gesprächen.',
    },
    nps: {
      name: 'NPS',
      definition:
        'Promotoren (9–10) minus Kritiker (0–6) in Prozentpunkten, NPS-Antworten aus der Sitzung nach dem Gespräch.',
    },
    scorecard: {
      name: 'Bewertungsbogen (gesamt)',
      definition: 'Mittel der gewichteten Gesamtwerte (0–100 %) der Reviews dieser Gespräche.',
    },
    playbook: {
      name: 'Playbook befolgt',
      definition:
        'Abgehakte Schritte ÷ Schritte des Playbooks des Themas, über Gespräche mit Playbook.',
    },
    sla1: {
      name: 'SLA eingehalten, Stufe 1',
      definition:
        'Erste Antwort bis zur zugesagten Zeit ÷ fällige Gespräche der Stufe (offene, nicht fällige zählen nicht).',
    },
    sla2: {
      name: 'SLA eingehalten, Stufe 2',
      definition: 'Wie Stufe 1, für Gespräche der Stufe 2.',
    },
    sla3: {
      name: 'SLA eingehalten, Stufe 3',
      definition: 'Wie Stufe 1, für Gespräche der Stufe 3.',
    },
    costPerCase: {
      name: 'Kosten je Fall',
      definition:
        'Bezahlte Stunden des Zeitraums (je Person mit zugewiesenen Gesprächen) × Kostensatz ÷ abgeschlossene Gespräche (im Team auch nicht zugewiesene).',
    },
    costPerWorkingHour: {
      name: 'Kosten je Arbeitsstunde',
      definition:
        'Bezahlte Stunden des Zeitraums (je Person mit zugewiesenen Gesprächen) × Kostensatz ÷ aktive Stunden an Gesprächen.',
    },
  } satisfies Record<TeamTargetKey, FigureCopy>,
};

/** The team view's copy. */
export type TeamMessages = typeof de;

const en: TeamMessages = {
  title: 'Team',
  overview: 'Overview',
  teamView: 'Team figures',
  period: 'Period',
  site: 'Site',
  from: 'From',
  to: 'To',
  agent: 'Agent',
  allAgents: 'All',
  show: 'Show',
  exportCsv: 'Export as CSV',
  team: 'Team',
  figure: 'Figure',
  value: 'Value',
  previous: 'Previous period',
  change: 'Change',
  target: 'Target',
  gap: 'Gap to target',
  n: 'n',
  definitions: 'Definitions',
  criteria: 'Scorecard per criterion',
  criterion: 'Criterion',
  scorecard: 'Scorecard',
  noData: 'No conversations in this period.',
  ownOnly: "You see your own figures; the owner has not shared your colleagues' figures.",
  ownScoresOnly:
    "You see scorecard scores of your own conversations only; the owner has not shared your colleagues' scores.",
  better: 'better',
  worse: 'worse',
  previousPeriod: 'Previous period: {from} to {to}',
  costNote:
    'Costs from {rate} {currency} per paid hour and {hours} hours per week for each person with conversations assigned in the period; someone who handles only unassigned ones is not counted.',
  noCost: 'No cost rate in the site settings (team.costPerHour).',
  figures: {
    handled: {
      name: 'Conversations handled',
      definition:
        'Conversations handed off in the period, assigned to the agent, with at least one reply.',
    },
    frtMedian: {
      name: 'First response (median)',
      definition: 'Median time from the handoff to the first reply.',
    },
    frtP90: {
      name: 'First response (p90)',
      definition: '90 % of first replies came faster (nearest rank).',
    },
    frtBusinessMedian: {
      name: 'First response in business hours (median)',
      definition: "As above, counting only time inside the site's business hours.",
    },
    frtBusinessP90: {
      name: 'First response in business hours (p90)',
      definition: 'p90 of the first response, counting only business hours.',
    },
    handlingMedian: {
      name: 'Handling time (median)',
      definition: 'Median time from the first reply to the close, closed conversations.',
    },
    activeMedian: {
      name: 'Active time (median)',
      definition:
        "For each reply, note, ticked step and close, the time since the conversation's previous event, at most 5 min per action, summed.",
    },
    fcr: {
      name: 'First contact resolution (FCR)',
      definition:
        "Closed conversations never reopened and with no new conversation of the same visitor on the same topic (handed off or not) within 7 days and before the period's end, ÷ closed; as on the dashboard.",
    },
    reopenRate: {
      name: 'Reopen rate',
      definition: 'Closed conversations that were reopened ÷ closed.',
    },
    csat: {
      name: 'CSAT',
      definition: 'Share of ratings 4 or 5 (of 1–5) given to these conversations.',
    },
    nps: {
      name: 'NPS',
      definition:
        'Promoters (9–10) minus detractors (0–6) in points, NPS answers from the session after the conversation.',
    },
    scorecard: {
      name: 'Scorecard (total)',
      definition: "Mean of the reviews' weighted totals (0–100 %) of these conversations.",
    },
    playbook: {
      name: 'Playbook followed',
      definition:
        "Ticked steps ÷ steps of the topic's playbook, over conversations with a playbook.",
    },
    sla1: {
      name: 'SLA met, level 1',
      definition:
        'First reply by the promised time ÷ due conversations of the level (open ones not yet due do not count).',
    },
    sla2: {
      name: 'SLA met, level 2',
      definition: 'As level 1, for conversations of level 2.',
    },
    sla3: {
      name: 'SLA met, level 3',
      definition: 'As level 1, for conversations of level 3.',
    },
    costPerCase: {
      name: 'Cost per case',
      definition:
        "The period's paid hours (per person with assigned conversations) × cost rate ÷ closed conversations (for the team, unassigned ones too).",
    },
    costPerWorkingHour: {
      name: 'Cost per working hour',
      definition:
        "The period's paid hours (per person with assigned conversations) × cost rate ÷ active hours on conversations.",
    },
  },
};

const catalogs: Record<PageLocale, TeamMessages> = { de, en };

/** The team view's copy in a language. */
export function teamMessagesFor(locale: PageLocale): TeamMessages {
  return catalogs[locale];
}
