/** A reason, beyond the topic, why a question should reach a person. */
export type Signal = 'complaint' | 'wants-human' | 'urgent' | 'out-of-scope';

/** A signal found in the text, with the phrase that gave it away. */
export interface SignalMatch {
  signal: Exclude<Signal, 'out-of-scope'>;
  /** What kind of cue it was, for the reasons shown to agents. */
  cue: SignalCue;
  /** The matched words, as typed by the visitor (trimmed to 60 characters). */
  phrase: string;
}

/** The kinds of cue the detector knows, each with its own reason text. */
export type SignalCue =
  | 'complaint_word'
  | 'repeated_failure'
  | 'strong_emotion'
  | 'threat_to_cancel'
  | 'legal_threat'
  | 'asks_for_person'
  | 'urgency';

interface Rule {
  signal: SignalMatch['signal'];
  cue: SignalCue;
  pattern: RegExp;
}

// Patterns run on folded text (lower case, diacritics removed, ß → ss), so "ä" is written "a"; the
// "(?:a|ae)" forms also catch visitors who type umlauts as two letters.
const rules: readonly Rule[] = [
  // Open complaints.
  {
    signal: 'complaint',
    cue: 'complaint_word',
    pattern:
      /\b(?:beschwer\w*|reklamier\w*|reklamation\w*|complain\w*|complaint\w*|unacceptable|inakzeptabel|nicht akzeptabel)/,
  },
  {
    signal: 'complaint',
    cue: 'strong_emotion',
    pattern:
      /\b(?:ridiculous|outrageous|disgrac\w*|appall\w*|terrible|horrible|awful|worst|furious|angry|fed up|sick (?:and tired )?of|disappointed|scam\w*|rip-?off|fraud\w*|frechheit|unversch(?:a|ae)mt\w*|l(?:a|ae)cherlich\w*|skandal\w*|katastroph\w*|entt(?:a|ae)usch\w*|w(?:u|ue)tend|ver(?:a|ae)rgert|(?:a|ae)rgerlich|sauer|zumutung|betrug|betr(?:u|ue)ger\w*|abzocke\w*|saftladen|armutszeugnis|unfassbar|unglaublich|nie wieder)\b/,
  },
  // Hidden complaints: the same problem again, waiting, nobody answering.
  {
    signal: 'complaint',
    cue: 'repeated_failure',
    pattern:
      /\b(?:(?:das|zum|the|for the) (?:zweite|dritte|vierte|funfte|fuenfte|x-te|n-te|wiederholte|second|third|fourth|fifth|umpteenth|nth) (?:mal|time)|schon wieder|immer noch (?:nicht|kein\w*)|nach wie vor (?:nicht|kein\w*)|wieder (?:nicht|kein\w*)|wie oft (?:noch|soll)|seit (?:tagen|wochen|monaten) (?:warte|nichts|keine?)|niemand (?:antwortet|meldet|reagiert|hilft)|keine (?:antwort|reaktion|r(?:u|ue)ckmeldung)|still (?:not|no|haven'?t|hasn'?t|waiting)|again and again|yet again|how many (?:more )?times|(?:nobody|no one|no-one) (?:answers|responds|replied|has (?:answered|replied|responded)|gets back)|waiting for (?:weeks|days|months)|for (?:weeks|days|months) (?:now|without))\b/,
  },
  {
    signal: 'complaint',
    cue: 'threat_to_cancel',
    pattern:
      /\b(?:k(?:u|ue)ndig\w*|konto (?:l(?:o|oe)schen|schlie(?:ss|s)en)|cancel (?:my|the) (?:account|membership|subscription|contract)|close my account|(?:never|won'?t) (?:order|buy|shop) (?:here|from you|again)|(?:take|taking) my (?:business|money) elsewhere|schlechte bewertung|bad review|trustpilot)\b/,
  },
  {
    signal: 'complaint',
    cue: 'legal_threat',
    pattern:
      /\b(?:anwalt\w*|rechtsanw(?:a|ae)lt\w*|rechtliche schritte|gericht\w*|verbraucherzentrale|klage\w*|verklagen|abmahnung|lawyer\w*|attorney\w*|solicitor\w*|legal action|sue you|take you to court|small claims|consumer (?:protection|rights)|ombuds\w*|chargeback|r(?:u|ue)ckbuchung)\b/,
  },
  // The visitor asks for a human.
  {
    signal: 'wants-human',
    cue: 'asks_for_person',
    pattern:
      /\b(?:(?:mit )?(?:einem|einer|nem|ner) (?:menschen|mensch|mitarbeiter\w*|person|berater\w*|sachbearbeiter\w*)|echte[nmr]? (?:menschen|mensch|person|mitarbeiter\w*)|mit jemandem sprechen|jemanden sprechen|(?:menschliche|pers(?:o|oe)nliche)[nr]? (?:hilfe|beratung|ansprechpartner\w*|kontakt)|pers(?:o|oe)nlich sprechen|r(?:u|ue)ckruf|rufen sie mich|ruft mich|(?:kein|keinen|nicht mit (?:einem|dem)) (?:bot|chatbot|roboter|computer|automat)|kundenservice (?:sprechen|anrufen|erreichen)|(?:a |an |to |with )?(?:real|live|actual) (?:person|human|agent|people)|(?:talk|speak|chat) (?:to|with) (?:a |an |some)(?:one|body|person|human|agent|representative)|(?:a|an|to|with) human|human (?:being|agent|support)|customer service (?:rep\w*|agent)|(?:agent|representative|operator) please|(?:get|need|want) (?:an? )?(?:agent|representative|operator)|call me(?: back)?|callback|not (?:a|the|with a) (?:bot|robot|machine))\b/,
  },
  {
    signal: 'urgent',
    cue: 'urgency',
    pattern:
      /\b(?:dringend\w*|eilig\w*|eilt|sofort|umgehend|schnellstm(?:o|oe)glich|so schnell wie m(?:o|oe)glich|notfall|heute noch|urgent\w*|asap|as soon as possible|immediately|right away|right now|emergency|by tomorrow|bis morgen)\b/,
  },
];

/** Folds text for pattern matching: lower case, no diacritics, ß as ss, single spaces. */
function foldForSignals(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ');
}

// Long texts are searched in full for signals, but a pasted novel must not stall the page.
const maxSignalTextLength = 20_000;

/**
 * Finds complaint, wish-for-a-person and urgency cues in German or English text.
 *
 * @example
 * detectSignals('Das ist jetzt das dritte Mal, dass mein Paket nicht ankommt.')
 * // → [{ signal: 'complaint', cue: 'repeated_failure', phrase: 'das dritte mal' }]
 */
export function detectSignals(text: string): SignalMatch[] {
  const folded = foldForSignals(text.slice(0, maxSignalTextLength));
  const matches: SignalMatch[] = [];
  for (const rule of rules) {
    const found = rule.pattern.exec(folded);
    if (found) matches.push({ signal: rule.signal, cue: rule.cue, phrase: found[0].slice(0, 60) });
  }
  return matches;
}

/**
 * The text without the words that asked for a person, folded, so that "agent please" is not
 * classified as a question about some topic; unchanged when nobody was asked for.
 */
export function withoutRequestForPerson(text: string, matches: readonly SignalMatch[]): string {
  const phrases = matches.filter((match) => match.cue === 'asks_for_person').map((m) => m.phrase);
  if (phrases.length === 0) return text;
  let rest = foldForSignals(text.slice(0, maxSignalTextLength));
  for (const phrase of phrases) rest = rest.replace(phrase, ' ');
  return rest;
}
