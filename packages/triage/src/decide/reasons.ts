import type { Lang } from '../text/index.js';

/** Everything a reason sentence may mention. */
export interface ReasonFacts {
  entryTitle?: string;
  topicName?: string;
  level?: number;
  levelName?: string;
  confidence?: number;
  threshold?: number;
  phrase?: string;
  /** What the kind of a hidden complaint is called, e.g. "Sarkasmus"; absent for open ones. */
  cueName?: string | undefined;
}

/** Stable codes for why a decision went the way it did; each has a sentence per language. */
export type ReasonCode =
  | 'empty_question'
  | 'chat_end'
  | 'matched_entry'
  | 'below_answer_threshold'
  | 'below_suggest_threshold'
  | 'out_of_scope'
  | 'level_needs_person'
  | 'complaint'
  | 'wants_human'
  | 'urgent';

const percent = (value: number | undefined): string => `${Math.round((value ?? 0) * 100)} %`;
const quote = (text: string | undefined, lang: Lang): string =>
  lang === 'de' ? `„${text ?? ''}“` : `“${text ?? ''}”`;

const sentences: Record<Lang, Record<ReasonCode, (facts: ReasonFacts) => string>> = {
  de: {
    empty_question: () => 'Keine Frage eingegeben.',
    chat_end: () => 'Nur Dank oder Abschied, keine Frage.',
    matched_entry: (f) =>
      `Passt zu ${quote(f.entryTitle, 'de')} (Thema ${f.topicName}) mit ${percent(f.confidence)} Sicherheit.`,
    below_answer_threshold: (f) =>
      `Sicherheit ${percent(f.confidence)} liegt unter der Antwortschwelle von ${percent(f.threshold)}: Vorschläge statt Antwort.`,
    below_suggest_threshold: (f) =>
      `Sicherheit ${percent(f.confidence)} liegt unter der Vorschlagsschwelle von ${percent(f.threshold)}.`,
    out_of_scope: () => 'Die Frage passt zu keinem Eintrag der Wissensdatenbank.',
    level_needs_person: (f) =>
      `Thema ${f.topicName} ist Stufe ${f.level} (${f.levelName}) und braucht einen Menschen.`,
    complaint: (f) =>
      f.cueName
        ? `Versteckte Beschwerde (${f.cueName}): ${quote(f.phrase, 'de')}.`
        : `Beschwerde erkannt: ${quote(f.phrase, 'de')}.`,
    wants_human: (f) => `Möchte mit einem Menschen sprechen: ${quote(f.phrase, 'de')}.`,
    urgent: (f) => `Eilig: ${quote(f.phrase, 'de')}.`,
  },
  en: {
    empty_question: () => 'No question was entered.',
    chat_end: () => 'Only thanks or a goodbye, no question.',
    matched_entry: (f) =>
      `Matches ${quote(f.entryTitle, 'en')} (topic ${f.topicName}) with ${percent(f.confidence)} confidence.`,
    below_answer_threshold: (f) =>
      `Confidence ${percent(f.confidence)} is below the answer threshold of ${percent(f.threshold)}: suggestions instead of an answer.`,
    below_suggest_threshold: (f) =>
      `Confidence ${percent(f.confidence)} is below the suggestion threshold of ${percent(f.threshold)}.`,
    out_of_scope: () => 'The question matches no entry of the knowledge base.',
    level_needs_person: (f) =>
      `Topic ${f.topicName} is level ${f.level} (${f.levelName}) and needs a person.`,
    complaint: (f) =>
      f.cueName
        ? `Hidden complaint (${f.cueName}): ${quote(f.phrase, 'en')}.`
        : `Complaint detected: ${quote(f.phrase, 'en')}.`,
    wants_human: (f) => `Asks for a person: ${quote(f.phrase, 'en')}.`,
    urgent: (f) => `Urgent: ${quote(f.phrase, 'en')}.`,
  },
};

/** Writes one human-readable reason, for agents, in the visitor's language. */
export function formatReason(code: ReasonCode, lang: Lang, facts: ReasonFacts = {}): string {
  return sentences[lang][code](facts);
}
