import type { ComplaintKind } from './signal-corpus.js';
import { foldWord, type SignalRule } from './signal-features.js';

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
  ['open', 'unverschamt*'],
  ['open', 'zumutung'],
  ['open', 'ist ein witz'],
  ['open', 'ist doch ein witz'],
  ['open', 'so ein witz'],
  ['open', 'is a joke'],
  ['open', 'what a joke'],
  ['open', '? unzufrieden'],
  ['open', '? unhappy'],
  ['open', '? dissatisfied'],
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
  // Judgements of the order, the product or the work, not of oneself ("Ist das Material minderwertig?"
  // asks; "schlampig verpackt" judges).
  ...[
    'ekelhaft',
    'widerlich',
    'schlampig*',
    'sloppy',
    'what a mess',
    'total mess',
    'complete mess',
  ].map((words): SignalRule => ['open', words]),
  ...['so ein chaos', 'totales chaos', 'poor quality', 'schlechte qualitat', 'miese qualitat'].map(
    (words): SignalRule => ['open', words],
  ),
  ...['lousy service', 'awful service', 'horrible service', 'mieser service'].map(
    (words): SignalRule => ['open', words],
  ),
  // Waiting with nothing happening, said with its length or as nothing heard.
  ...['warte ? schon', 'warte schon seit', 'warte schon uber', 'warten ? schon seit'].map(
    (words): SignalRule => ['waiting', words],
  ),
  ...['bis heute kein*', 'bis heute nichts', 'havent heard anything', 'havent heard a thing'].map(
    (words): SignalRule => ['waiting', words],
  ),
  ...['havent heard back', 'nobody replied', 'no one replied', 'nobody has replied'].map(
    (words): SignalRule => ['waiting', words],
  ),
  ...['no one has replied', 'nobody got back', 'no one got back', 'still no word'].map(
    (words): SignalRule => ['waiting', words],
  ),
  // Asked or told before.
  ...['bereits mehrfach', 'schon mehrfach', 'bereits mehrmals', 'schon mehrmals'].map(
    (words): SignalRule => ['repetition', words],
  ),
  ...['for the second time', 'zum zweiten mal', 'explain it again', 'explain this again'].map(
    (words): SignalRule => ['repetition', words],
  ),
  // Sarcasm that says itself.
  ...['na bravo', 'na toll', 'na super', 'na prima', 'na klasse', 'oh great', 'just great'].map(
    (words): SignalRule => ['sarcasm', words],
  ),
  // Going elsewhere, after what happened.
  ...[
    'shop elsewhere',
    'buy elsewhere',
    'order elsewhere',
    'go elsewhere',
    'woanders bestellen',
  ].map((words): SignalRule => ['threat-to-leave', words]),
  ...['woanders kaufen', 'bestelle ich woanders', 'kaufe ich woanders', 'bei der konkurrenz'].map(
    (words): SignalRule => ['threat-to-leave', words],
  ),
  ...[
    'after this experience',
    'nach dieser erfahrung',
    'nach dem theater',
    'nach diesem theater',
  ].map((words): SignalRule => ['threat-to-leave', words]),
  ...['wont be ordering', 'wont order again', 'doesnt matter anymore'].map(
    (words): SignalRule => ['threat-to-leave', words],
  ),
  // Warning others; consumer bodies and payment disputes of Austria, Switzerland and PayPal.
  ...['andere warnen', 'andere kunden warnen', 'vor euch warnen', 'vor ihnen warnen'].map(
    (words): SignalRule => ['threat-public', words],
  ),
  ...['warn others', 'warn other', 'warn people', 'warn everyone'].map(
    (words): SignalRule => ['threat-public', words],
  ),
  ...[
    'arbeiterkammer',
    'konsumentenschutz*',
    'kassensturz',
    'kauferschutz*',
    'buyer protection',
  ].map((words): SignalRule => ['threat-legal', words]),
  ...[
    'paypal dispute',
    'open a dispute',
    'opened a dispute',
    'file a dispute',
    'filed a dispute',
  ].map((words): SignalRule => ['threat-legal', words]),
  // The bot that does not understand.
  ...['not understanding me', 'dont understand me', 'verstehst mich nicht', 'bringt nix'].map(
    (words): SignalRule => ['bot-frustration', words],
  ),
  ...['verstehen mich nicht', 'verstehst du mich nicht', 'going in circles', 'im kreis'].map(
    (words): SignalRule => ['bot-frustration', words],
  ),
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
  ...feelings('open', 'nicht_zufrieden gar_nicht_zufrieden uberhaupt_nicht_zufrieden', 'de'),
  ...feelings('open', 'nicht_begeistert gar_nicht_begeistert', 'de'),
  ...feelings('open', 'not_happy not_impressed not_satisfied not_pleased', 'en'),
];

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
  ...['team lead*', 'teamlead*', 'was zu sagen'],
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
