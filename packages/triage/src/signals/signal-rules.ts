import type { ComplaintKind } from './signal-corpus.js';
import { type ChatEnd, foldWord, type SignalRule } from './signal-features.js';

/**
 * High-precision complaint cues the lexical model learns poorly from a few examples: words that
 * name a complaint outright, threats (lawyer, consumer agency, chargeback, public review), "never
 * again", a manager, the x-th time, long waiting, a useless bot. Folded like tokens (lower case, no
 * umlauts). Each fired on train/ with no false alarm; words that everyday neutral messages use
 * too were left to the model: anger words alone ("beschwert", "furious", "enttäuscht": stories
 * about someone else; said of oneself they are `feelings` below), "zum dritten Mal" / "third time"
 * (praise of a regular customer), "still not", "Trustpilot", "mein Vorgesetzter", "lächerlich
 * günstig". They travel in the model as data.
 */
export const SIGNAL_RULES: readonly SignalRule[] = [
  ['threat-legal', 'anwalt einschalten'],
  ['threat-legal', 'rechtsanwalt einschalten'],
  ['threat-legal', 'anwaltlich*'],
  ['threat-legal', 'zum anwalt'],
  ['threat-legal', 'meinem anwalt ubergeben'],
  ['threat-legal', 'call my lawyer'],
  ['threat-legal', 'contact my lawyer'],
  ['threat-legal', 'my lawyer will'],
  ['threat-legal', 'get a lawyer'],
  ['threat-legal', 'lawyer involved'],
  ['threat-legal', '*verbraucherzentrale*'],
  ['threat-legal', 'verbraucherschutz*'],
  ['threat-legal', 'chargeback*'],
  ['threat-legal', 'schlichtungsstelle*'],
  ['threat-legal', 'ombuds*'],
  ['threat-legal', 'strafanzeige'],
  ['threat-legal', 'verklag*'],
  ['threat-legal', 'legal action'],
  ['threat-legal', 'legal steps'],
  ['threat-legal', 'rechtliche schritte'],
  ['threat-legal', 'small claims'],
  ['threat-legal', 'sue you'],
  ['threat-legal', 'vor gericht'],
  ['threat-legal', 'to court'],
  ['threat-public', 'schlechte bewertung*'],
  ['threat-public', 'negative bewertung*'],
  ['threat-public', 'negative review*'],
  ['threat-public', 'one star'],
  ['threat-public', '1 star'],
  ['threat-public', 'one-star'],
  ['threat-public', '1 stern'],
  ['threat-public', 'einen stern'],
  ['threat-to-leave', 'nie wieder'],
  ['threat-to-leave', 'never again'],
  ['threat-to-leave', 'nie mehr'],
  ['manager', 'ihren vorgesetzten'],
  ['manager', 'ihrem vorgesetzten'],
  ['manager', 'ihre vorgesetzte'],
  ['manager', 'einen vorgesetzten'],
  ['manager', 'einem vorgesetzten'],
  ['manager', 'die geschaftsfuhrung'],
  ['manager', 'ihre geschaftsfuhrung'],
  ['manager', 'eure geschaftsfuhrung'],
  ['manager', 'die geschaftsleitung'],
  ['manager', 'abteilungsleit*'],
  ['manager', 'supervisor*'],
  ['manager', 'to a manager'],
  ['manager', 'to your manager'],
  ['manager', 'to the manager'],
  ['manager', 'your manager'],
  ['repetition', 'zum wiederholten mal'],
  ['repetition', 'zum n ten'],
  ['repetition', 'zum x ten'],
  ['repetition', 'wiederholt*'],
  ['waiting', 'still waiting'],
  ['waiting', 'warte seit'],
  ['waiting', 'warte immer noch'],
  ['waiting', 'warte noch immer'],
  ['waiting', 'warten seit'],
  ['waiting', 'warten immer noch'],
  ['bot-frustration', 'dummer bot'],
  ['bot-frustration', 'stupid bot'],
  ['bot-frustration', 'useless'],
  ['bot-frustration', 'nutzlos*'],
  ['open', 'frechheit'],
  ['open', 'unverschamtheit'],
  ['open', 'zumutung'],
  ['open', 'ist ein witz'],
  ['open', 'ist doch ein witz'],
  ['open', 'so ein witz'],
  ['open', 'is a joke'],
  ['open', 'what a joke'],
  ['open', 'appalling'],
  ['open', 'schlechteste*'],
  ['open', 'worst customer'],
  ['open', 'unacceptable'],
  ['open', 'inakzeptabel'],
  ['open', 'unzumutbar*'],
  ['open', 'skandal*'],
  ['open', 'katastroph*'],
  ['open', 'disgrace*'],
  ['open', 'ridiculous'],
  ['open', 'outrageous'],
  ['disappointment', 'disappointing'],
  ['sarcasm', 'danke fur nichts'],
  ['sarcasm', 'thanks for nothing'],
  ['resignation', 'gebe es auf'],
  ['resignation', 'gebs auf'],
  ['resignation', 'i give up'],
  ['open', 'stinksauer'],
  ['open', 'sauerei'],
  ['open', 'unter aller sau'],
  ['open', 'nase voll'],
  ['open', 'schnauze voll'],
  ['open', 'fed up'],
  ['open', 'ive had enough'],
  ['open', 'sick of'],
  ['open', 'poor service'],
  ['open', 'terrible service'],
  ['open', 'schlechten service'],
  ['open', 'verarsch*'],
  ['open', 'unfahig*'],
  // Coarse judgements the written corpus never uses and visitors do, each in words that judge the
  // company or its product: not "Mist" or "crap" ("Mist, Passwort vergessen" blames oneself),
  // "Abzocke" or "rip off" alone ("Ist diese SMS Abzocke?", "Is this a rip off?"),
  // "unterirdisch" ("ist unterirdisch verlegt"), "incompetent" ("I'm technically incompetent"),
  // "lausig" ("lausig kalt") or "garbage" ("garbage bags").
  ...['service ist unterirdisch', 'service ist ? unterirdisch', 'einfach unterirdisch'].map(
    (words): SignalRule => ['open', words],
  ),
  ...['unterirdischer service', 'miserabel*', 'beschissen*', 'grottenschlecht*', 'grottig*'].map(
    (words): SignalRule => ['open', words],
  ),
  ...['saftladen', 'ein schmarrn', 'reine abzocke', 'totale abzocke', 'so eine abzocke'].map(
    (words): SignalRule => ['open', words],
  ),
  ...['seid inkompetent', 'seid ? inkompetent', 'youre incompetent', 'you are incompetent'].map(
    (words): SignalRule => ['open', words],
  ),
  ...['what a rip off', 'total rip off', 'what a ripoff', 'pathetic', 'rediculous'].map(
    (words): SignalRule => ['open', words],
  ),
  ['open', 'total garbage'],
  // Everyday phrasing the written corpus lacks, each in words that only a complaint uses: not the
  // word alone where a neutral message has it too ("Gilt der Käuferschutz?", "buy elsewhere" in a
  // warranty question, "bis heute keine Probleme", "schon mehrmals bestellt", "na prima, danke",
  // "im Kreis Pinneberg", "Sloppy Joe", "what a mess" about one's kids).
  ...rules('open', 'ekelhaft widerlich schlampig* sloppy_work sloppy_service so_sloppy'),
  ...rules('open', 'such_poor_quality very_poor_quality really_poor_quality miese_qualitat'),
  ...rules('open', 'lousy_service awful_service horrible_service mieser_service'),
  ...rules('open', 'unverschamt_dass unverschamt_wie'),
  ...rules('open', 'sehr_unzufrieden total_unzufrieden very_unhappy extremely_unhappy'),
  ...rules('waiting', 'warte_schon_seit warte_schon_uber warte_?_schon_seit warte_?_schon_uber'),
  ...rules('waiting', 'warten_schon_seit warten_?_schon_seit'),
  ...rules('waiting', 'bis_heute_keine_antwort bis_heute_keine_ruckmeldung'),
  ...rules('waiting', 'bis_heute_keine_versandbestatigung bis_heute_nichts_gehort'),
  ...rules('waiting', 'havent_heard_a_thing havent_heard_anything_back havent_heard_back_from_you'),
  ...rules('waiting', 'still_havent_heard_back nobody_replied no_one_replied nobody_has_replied'),
  ...rules('waiting', 'no_one_has_replied nobody_got_back no_one_got_back still_no_word'),
  ...rules('repetition', 'bereits_mehrfach_mitgeteilt bereits_mehrfach_gemeldet'),
  ...rules('repetition', 'schon_mehrfach_gemeldet'),
  ...rules('repetition', 'second_time_this_happens second_time_this_has_happened'),
  ...rules('sarcasm', 'na_bravo na_toll'),
  ...rules('threat-to-leave', 'bestelle_ich_woanders kaufe_ich_woanders'),
  ...rules('threat-to-leave', 'ill_buy_elsewhere ill_shop_elsewhere ill_go_elsewhere'),
  ...rules('threat-to-leave', 'ill_order_elsewhere nach_diesem_theater wont_order_again'),
  ...rules('threat-to-leave', 'wont_be_ordering_again'),
  ...rules('threat-public', 'vor_euch_warnen vor_ihnen_warnen'),
  ...rules('threat-legal', 'zur_arbeiterkammer an_die_arbeiterkammer bei_der_arbeiterkammer'),
  ...rules('threat-legal', 'zum_konsumentenschutz an_den_konsumentenschutz'),
  ...rules('threat-legal', 'kauferschutzfall* kauferschutz_beantragt kauferschutz_eroffnet'),
  ...rules('threat-legal', 'kauferschutz_eingeleitet buyer_protection_claim'),
  ...rules('threat-legal', 'opened_a_dispute filed_a_dispute ill_open_a_dispute'),
  ...rules('bot-frustration', 'not_understanding_me verstehst_mich_nicht verstehst_du_mich_nicht'),
  ...rules('bot-frustration', 'im_kreis_geschickt'),
  ...rules('bot-frustration', 'going_round_in_circles'),
  ...feelings(
    'open',
    'wutend sauer verargert genervt frustriert emport entsetzt unzufrieden',
    'de',
  ),
  ...feelings('open', 'angefressen fassungslos stocksauer hassig', 'de'),
  ...feelings('disappointment', 'enttauscht', 'de'),
  ...feelings('open', 'furious angry livid fuming pissed upset annoyed frustrated appalled', 'en'),
  ...feelings('open', 'disgusted outraged unhappy dissatisfied', 'en'),
  ...feelings('disappointment', 'disappointed', 'en'),
  ...feelings('open', 'gar_nicht_zufrieden uberhaupt_nicht_zufrieden gar_nicht_begeistert', 'de'),
  ...feelings('open', 'not_impressed', 'en'),
];

/** Rules of one kind; `_` joins the words of one rule ("na_bravo"). */
function rules(kind: ComplaintKind, words: string): SignalRule[] {
  return words.split(' ').map((word): SignalRule => [kind, word.replaceAll('_', ' ')]);
}

/**
 * The visitor's own anger or disappointment, said of themselves, at most an intensifier between
 * ("ich bin echt sauer", "I'm so disappointed", "we are livid"): anger words alone also tell
 * stories about someone else ("Meine Frau war sauer"), and a visitor who says it of themselves
 * complains, unless they only suppose it ("If I'm unhappy with it…", `~`). None of them fired on
 * a message of train/ that is no complaint.
 */
function feelings(kind: ComplaintKind, words: string, lang: 'de' | 'en'): SignalRule[] {
  const subjects = lang === 'de' ? ['bin', 'wir sind'] : ['im', 'i am', 'we are'];
  // `_` joins the words of one feeling ("nicht_zufrieden").
  return words
    .split(' ')
    .map((word) => word.replaceAll('_', ' '))
    .flatMap((word) =>
      subjects.flatMap((subject): SignalRule[] => [
        [kind, `~${subject} ${word}`],
        [kind, `~${subject} ? ${word}`],
      ]),
    );
}

/**
 * What `?` stands for in a rule: a word that makes a feeling stronger or says it lasts, never one
 * that weakens or denies it ("nie", "selten", "rarely") or any other ("I'm ordering Angry Birds").
 * Folded like tokens; they travel in the model as data.
 */
export const INTENSIFIERS: readonly string[] = [
  'echt sehr so total wirklich richtig ziemlich extrem maßlos schwer tief zutiefst etwas',
  'einfach absolut furchtbar unglaublich voll völlig komplett ganz mega äußerst höchst bitter',
  'dermaßen derart tierisch langsam mittlerweile inzwischen jetzt nun',
  'really very extremely absolutely totally quite pretty super deeply bitterly utterly highly',
  'incredibly seriously truly genuinely completely thoroughly terribly greatly hugely beyond',
  'honestly just fairly rather increasingly still now bloody damn fucking soo sooo',
]
  .flatMap((words) => words.split(' '))
  .map(foldWord);

/**
 * A request for a person in one word ("Mitarbeiter!", "MENSCH BITTE", "humans?"), fillers aside:
 * the learned wants-human score is not trusted on one word (most one-word messages of the corpus
 * ask for a person, so it fires on "delivery"), so only these words make it one. From train/'s
 * one-word requests, folded like tokens. They travel in the model as data.
 */
export const PERSON_WORDS: readonly string[] = [
  ...'mensch menschen mitarbeiter mitarbeiterin mitarbeitende berater beraterin kundenberater'.split(
    ' ',
  ),
  ...'sachbearbeiter sachbearbeiterin ansprechpartner ansprechpartnerin chef vorgesetzter'.split(
    ' ',
  ),
  ...'abteilungsleiter ruckruf zuruckrufen anrufen telefonat verbinden durchstellen'.split(' '),
  ...'person people agent agents human humans operator representative rep staff someone'.split(' '),
  ...'somebody anyone anybody manager supervisor callback'.split(' '),
  // The people of a department or a role: "Kundenservice bitte", "Filialleitung bitte". Not a
  // channel ("Hotline?", "Telefon"): the knowledge base's contact entry answers with number and hours.
  ...'kundendienst kundenservice kundensupport kundenbetreuung'.split(' '),
  ...'filialleitung geschaftsleitung teamleitung'.split(' '),
];

/**
 * Someone above the agent: asking a person for one of these is asking for a manager, a complaint
 * by the labelling guide ("put me through to the person in charge", "Filialleitung bitte"). They
 * count only beside a wish for a person and not after a possessive or a role word ("my manager",
 * "mein Chef", "account manager"), which tell of the visitor's own boss or a job title. Folded
 * like tokens, matched like `SIGNAL_RULES`; they travel in the model as data.
 */
export const SUPERIOR_WORDS: readonly string[] = [
  ...['manager', 'managers', 'manger', 'management', 'supervisor*', 'head of', 'in charge'],
  ...['boss', 'owner', 'senior', 'escalat*', 'higher up', 'higher-up*', 'director*'],
  ...['vorgesetzt*', 'chef', 'chefin', 'chefs', 'filialleit*', 'geschaftsleit*'],
  ...['geschaftsfuhr*', 'teamleit*', 'abteilungsleit*', 'bereichsleit*', 'marktleit*'],
  ...['team lead*', 'teamlead*', 'was zu sagen hat'],
  ...[
    'vorstand*',
    'filialdirektor*',
    'direktor*',
    'verantwortlich*',
    'eskalier*',
    'hoherer stelle',
  ],
];

/**
 * High-precision requests for a person inside longer messages, a union with the wants-human
 * model: in a long message its few person words weigh little against the rest ("Gibt es auch eine
 * echte Person, oder ist das alles KI?"). Each fired on train/ on wishes for a person only, outside
 * negation scopes. Words that also ask about the bot ("ein Mensch", "a real person", "a human":
 * "Is this a human?") are left to the model. Folded like tokens; they travel in the model as data.
 */
export const PERSON_RULES: readonly string[] = [
  ...['echte person', 'echten menschen', 'echter mensch', 'einen menschen', 'menschen sprechen'],
  ...['einen mitarbeiter', 'einem mitarbeiter', 'einer mitarbeiterin', 'eine mitarbeiterin'],
  ...['mitarbeiter sprechen', 'einer person', 'zuruckrufen', 'mich anrufen', 'rufen sie mich'],
  ...['ruft mich', 'ruf mich', 'verbinden sie mich', 'durchstellen'],
  ...['real human', 'actual person', 'live agent', 'call me back', 'phone me', 'ring me'],
  ...['speak to someone', 'talk to someone', 'speak with someone', 'speak to a person'],
  ...['talk to a person', 'talk to a human', 'speak to a human', 'speak to an agent'],
  ...['talk to an agent', 'connect me', 'transfer me', 'put me through', 'someone call'],
];

/**
 * A wish for a person names someone or a way to reach them: a person or a role ("Mitarbeiterin",
 * "someone", "Filialleitung"), a channel or a verb of contact ("Rückruf", "phone", "durchstellen",
 * "transfer"), or the bot it wants to leave. Without one of these words the wants-human model's
 * score does not count, so a request of the same shape ("Ich hätte gern eine Kopie der Rechnung",
 * "I'd like to return an item") is not taken for one. Every wish for a person in train/ has one;
 * negated ones count ("kein Bot"). Folded like tokens, matched like `SIGNAL_RULES`; `de:` marks a
 * cue of German messages only ("Personal" is staff, English "personal details" names no one).
 * They travel in the model as data.
 */
export const PERSON_CUES: readonly string[] = [
  // someone
  ...['mensch*', 'person', 'persons', 'personen', 'personlich*', 'personnel', 'de:personal'],
  ...['de:personalabteilung*', 'de:personalchef*'],
  ...['ansprechperson*', 'kontaktperson*', 'vertrauensperson*', 'ombudsperson*', 'salesperson*'],
  ...['leute', 'jemand*', 'wer', 'opper', 'mitarbeit*', 'kolleg*', 'team*'],
  ...['*berater*', 'sachbearbeit*', 'ansprechpartner*', 'kundenbetreu*', 'kundendienst*'],
  ...['kundedien*', '*service*', 'support*', 'hotline*', 'abteilung*', 'stelle', 'zustandig*'],
  ...['who', 'whoever', 'someone', 'somebody', 'anyone', 'anybody', 'people', 'human*', 'staff'],
  ...['agent*', 'employee*', 'colleague*', 'representative*', 'rep', 'reps', 'operator*', 'advis*'],
  ...['assistent*', 'assistant*', 'consultant*', 'specialist*', 'expert*', '*handler*', 'care'],
  ...['relations', 'department*'],
  // someone above
  ...['*manager*', 'manger', 'supervisor*', 'boss*', 'owner*', 'management', 'senior*', 'head'],
  ...['director*', 'ceo*', 'chef*', 'vorgesetzt*', '*leitung*', '*leiter*', '*fuhrung*'],
  ...['*direktor*', 'vorstand*', 'verantwortlich*', 'escalat*', 'eskalier*'],
  // a way to reach them
  ...['telefon*', 'phone*', 'natel', 'anruf*', 'anzurufen', 'ruf*', 'ruaf*', 'ruckruf*'],
  ...['zuruckruf*', 'aalu*', 'sprech*', 'sprich*', 'rede*', 'quatsch*', 'chat*', 'verbind*'],
  ...['durchstell*', 'durchgestellt*', 'durchverbind*', 'weiterleit*', 'erreich*', 'kontakt*'],
  ...['meld*', 'callback*', 'call*', 'ring*', 'talk*', 'speak*', 'forward*', 'contact*'],
  ...['connect*', 'transfer*', 'through', 'touch', 'handover', 'pass', 'reach*', '📞', '☎'],
  // the bot they want to leave
  ...['bot*', 'ki', 'maschine*', 'machine*', 'roboter*', 'robot*', 'automat*', 'computer*'],
  ...['echt*', 'real'],
];

/**
 * The words of a chat's end: acknowledgement, thanks, goodbye ("ok danke", "alles klar, schönen
 * Tag noch", "got it, thanks", "merci vielmal, jetzt ist alles klar"). A message of these words
 * alone carries no learned complaint (a complaint rule still counts, "Danke für nichts"): the
 * corpus's resignations often begin with "ok", "jetzt" or "alles klar" ("ok. dann halt nicht"),
 * so the model took the end of an ordinary chat for one. Not words that sarcasm or resignation
 * uses ("super", "great", "toll", "ja", "so", "dann", "schon", "right", "sure", "fine", "a lot",
 * "halt", "nichts": "Ja ja, schon klar", "sure, thanks a lot", "So, das wars dann"), and never a
 * message with a question mark or an emoji other than a friendly one ("Danke für die Hilfe 🙄",
 * "That's it?"). Folded like tokens; they travel in the model as data.
 */
export const CLOSING_WORDS: readonly string[] = [
  'ok okay okey oki alright alles klar passt danke dank dankeschön dankschön vielen vielmals vielmal',
  'merci schön viele gruss grüsse mfg',
  'herzlichen lieben besten jetzt ah aha ach achso verstanden verstehe kapiert hab habs ichs ist',
  'das erledigt geklappt hat funktioniert schönen tag abend wochenende noch tschüss tschau ciao',
  'servus baba pfiat adieu wiederhören wiedersehen auf bis lg hallo hi ich es mir dir euch ihnen',
  'nochmal nochmals bescheid weiss got it understood i see makes sense thanks thank you thx ty',
  'cheers bye goodbye have day evening weekend sorted works worked helped thats all yes yeah yep',
]
  .flatMap((words) => words.split(' '))
  .map(foldWord);

// Lines of words, split and folded.
const folded = (lines: readonly string[]) =>
  lines.flatMap((words) => words.split(' ')).map(foldWord);

/**
 * What makes closing words (`CLOSING_WORDS`) the end of a chat, for the decision `acknowledge`:
 * a word that thanks or one that confirms or says goodbye must be there ("hallo" or "jetzt" alone
 * do not end a chat), and beside thanks the `context` of what was thanked for may be too ("Danke
 * für die schnelle Hilfe", "thanks for your quick reply"). Only the decision uses the context: the
 * complaint model keeps its say on such a message, and a signal it finds keeps the message from
 * ending the chat. A verb first and a subject after it, past the opening "ok" or "danke", make it
 * a question left without its question mark ("Ist das erledigt", "Passt das", "have you got it";
 * "Hat geklappt, danke" tells). Folded like tokens; they travel in the model as data.
 */
export const CHAT_END_WORDS: ChatEnd = {
  thanks: folded(['danke dank dankeschön dankschön merci thanks thank thx ty cheers']),
  words: folded([
    'ok okay okey oki alright passt erledigt geklappt funktioniert verstanden kapiert tschüss',
    'tschau ciao baba pfiat adieu wiederhören wiedersehen bye goodbye sorted works worked helped',
    'understood got klar',
  ]),
  context: folded([
    'für die den eure ihre deine sehr schnelle schnellen rasche prompte nette freundliche hilfe',
    'antwort auskunft info infos information informationen rückmeldung unterstützung mühe geduld',
    'support beratung for the your so much quick fast prompt kind help answer reply patience',
    'geholfen weitergeholfen that this',
  ]),
  open: folded(['ok okay okey oki alright also und gut']),
  verbs: folded([
    'ist sind hat hast habt haben war waren funktioniert funktionierts klappt klappts passt geht',
    'gehts kann kommt is are was were has have did does do can could will',
  ]),
  subjects: folded([
    'es das alles jetzt noch der die sie ihr du er man it that this everything you we all',
  ]),
};
