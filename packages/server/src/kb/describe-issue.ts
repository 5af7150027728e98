// The build's findings (@lotse/triage writes them in English, for terminals and CI) as the editor
// shows them: in the page's language, the field named by the label the form shows. The triage
// messages carry no codes, so each kind the editor can produce is recognised by its shape; a shape
// not known here keeps its English text rather than showing nothing.
import { CONFIG_FILE, type KnowledgeBaseIssue } from '@lotse/triage';
import type { PageLocale } from '../pages/i18n.js';
import { fill, type KbMessages, kbMessagesFor } from './kb-messages.js';
import { CHECKS_FILE } from './kb-source.js';

/** An issue as the editor shows it: where it is (a field's label, a line) and what is wrong. */
export interface DescribedIssue {
  /** The field's visible label, or the line of a file edited as text; null for the whole file. */
  where: string | null;
  message: string;
}

/**
 * Describes a build finding for the editor in `locale`: German pages get German text, English pages
 * the build's own message; both name the field by its label in the entry form.
 *
 * @example describeIssue({ file: 'entries/a.de.md', line: 9, field: 'answer', message: 'raw HTML "<b>" is not allowed …' }, 'de')
 */
export function describeIssue(issue: KnowledgeBaseIssue, locale: PageLocale): DescribedIssue {
  const t = kbMessagesFor(locale);
  const isText = issue.file === CHECKS_FILE || issue.file === CONFIG_FILE;
  const where = isText
    ? `${fill(t.lineN, { line: issue.line })}${issue.field === null ? '' : ` (${issue.field})`}`
    : issue.field === null
      ? null
      : fieldLabel(issue.field, t);
  return { where, message: locale === 'de' ? german(issue.message) : issue.message };
}

/** The form's label of an entry field: `examples[2]` → "Beispielfragen, Zeile 3". */
export function fieldLabel(field: string, t: KbMessages): string {
  const [, name = field, index] = /^(\w+)(?:\[(\d+)\])?/.exec(field) ?? [];
  const labels: Record<string, string> = {
    id: t.id,
    title: t.title,
    topic: t.topic,
    level: t.level,
    locale: t.locale,
    examples: t.examples,
    keywords: t.keywordsField,
    playbook: t.playbookField,
    answer: t.answerField,
  };
  const label = labels[name] ?? field;
  return index === undefined ? label : `${label}, ${fill(t.lineN, { line: Number(index) + 1 })}`;
}

// "(got …)" values as explain-issues shows them.
function value(shown: string): string {
  if (shown === 'an empty value') return 'leer';
  if (shown === 'an empty list') return 'eine leere Liste';
  if (shown === 'an object') return 'ein Objekt';
  const list = /^a list of (\d+)$/.exec(shown);
  if (list !== null) return `eine Liste mit ${list[1]} Einträgen`;
  return /^-?\d/.test(shown) ? shown : quoted(shown);
}

/** A JSON-quoted text from a message as „text“. */
function quoted(json: string): string {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'string') return `„${parsed}“`;
  } catch {
    // Cut long values end in "…" and are no JSON any more.
  }
  return `„${json.replace(/^"|"$/g, '')}“`;
}

// What a field must be (the `expect` of the triage's field rules), in German.
const expects: Record<string, string> = {
  'must be lowercase letters a–z, digits and hyphens':
    'muss aus Kleinbuchstaben a–z, Ziffern und Bindestrichen bestehen',
  'must be a non-empty text': 'darf nicht leer sein',
  'must be the id of a topic in lotse.config.json':
    'muss die Kennung eines Themas aus lotse.config.json sein',
  'must be 1, 2 or 3': 'muss 1, 2 oder 3 sein',
  'must be "de" or "en"': 'muss „de“ oder „en“ sein',
  'must be a non-empty list of "de" or "en"': 'muss eine nicht leere Liste aus „de“ oder „en“ sein',
  'must be a list of at least one question': 'muss eine Liste mit mindestens einer Frage sein',
  'must be a list of words': 'muss eine Liste von Wörtern sein',
  'must be a list of steps': 'muss eine Liste von Schritten sein',
  'must be a list of steps, each a non-empty text':
    'muss eine Liste von Schritten sein, jeder ein nicht leerer Text',
  'must map each locale to a list of steps': 'muss jeder Sprache eine Liste von Schritten zuordnen',
  'must be a JSON object': 'muss ein JSON-Objekt sein',
  'must be a text (the address of a JSON schema)':
    'muss ein Text sein (die Adresse eines JSON-Schemas)',
  'must be a text, or one text per locale like {"de": "…", "en": "…"}':
    'muss ein Text sein oder ein Text je Sprache wie {"de": "…", "en": "…"}',
  'must name the levels "1", "2" and "3"': 'darf nur die Stufen „1“, „2“ und „3“ nennen',
  'must hold at least one topic': 'muss mindestens ein Thema enthalten',
  'must be an object': 'muss ein Objekt sein',
  'must be a number above 0 and at most 1': 'muss eine Zahl über 0 und höchstens 1 sein',
  'must be a number from 0 to 0.5': 'muss eine Zahl von 0 bis 0,5 sein',
  'must be a number above 0 and below 1': 'muss eine Zahl über 0 und unter 1 sein',
  'must start with front matter fields like "id: returns-label"':
    'muss mit Kopffeldern wie „id: returns-label“ beginnen',
  'is not a level': 'ist keine Stufe (erlaubt: „1“, „2“, „3“)',
  'is not a valid topic id':
    'ist keine gültige Themen-Kennung (Kleinbuchstaben a–z, Ziffern und Bindestriche)',
  'is not a supported locale': 'ist keine unterstützte Sprache (erlaubt: „de“, „en“)',
  'is not allowed here': 'ist hier nicht erlaubt',
};

const same = 'Übersetzungen (gleiche Kennung) haben dasselbe Thema und dieselbe Stufe.' as const;

// Shapes of the triage's messages (compile-knowledge-base, parse-entry, parse-config,
// explain-issues, compile-markdown, parse-checks) and their German text. Order matters: the
// generic "field … (got …)" shapes come last.
const shapes: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^field "id" is "(.*)", already used by (\S+) \(line \d+\) in locale "(\w+)"\./,
    (m) =>
      `Die Kennung „${m[1]}“ hat schon ${m[2]} in der Sprache „${m[3]}“. Kennungen gibt es je Sprache nur einmal; nur eine Übersetzung in einer anderen Sprache hat dieselbe.`,
  ],
  [
    /^field "topic" is "(.*)" but the translation (\S+) has "(.*)"\./,
    (m) => `Das Thema ist „${m[1]}“, die Übersetzung ${m[2]} hat aber „${m[3]}“. ${same}`,
  ],
  [
    /^the entry is level (\d) but the translation (\S+) is level (\d)\./,
    (m) => `Der Eintrag hat Stufe ${m[1]}, die Übersetzung ${m[2]} aber Stufe ${m[3]}. ${same}`,
  ],
  [
    /^example (".*") is also an example of "(.*)" \((\S+)\)\./,
    (m) =>
      `Die Beispielfrage ${quoted(m[1] ?? '')} ist schon eine Beispielfrage von „${m[2]}“ (${m[3]}). Jede Frage soll nur einen Eintrag lehren: entfernen Sie sie bei einem der beiden.`,
  ],
  [
    /^field "topic" must be one of the topics in lotse\.config\.json: (.*) \(got (".*")\)\.(?: Did you mean "(.*)"\?)?/,
    (m) =>
      `Das Thema ${quoted(m[2] ?? '')} gibt es in lotse.config.json nicht (vorhanden: ${m[1]}).${m[3] === undefined ? ' Legen Sie es unter „topics“ in lotse.config.json an oder wählen Sie ein vorhandenes.' : ` Meinten Sie „${m[3]}“?`}`,
  ],
  [
    /^field "level" is (\d) but topic "(.*)" is level (\d);/,
    (m) =>
      `Die Stufe ist ${m[1]}, das Thema „${m[2]}“ hat aber Stufe ${m[3]}: ein Eintrag darf die Stufe seines Themas erhöhen, nie senken. Lassen Sie die Stufe offen oder wählen Sie ein Thema der Stufe ${m[1]}.`,
  ],
  [
    /^the entry is level (\d) but has no playbook for agents\./,
    (m) =>
      `Der Eintrag hat Stufe ${m[1]}, aber keine Schritte für Mitarbeiter. Tragen Sie eigene Schritte ein oder geben Sie dem Thema in lotse.config.json ein „playbook“.`,
  ],
  [
    /^field "locale" is "(.*)", which is not in "locales" of lotse\.config\.json \((.*)\)\./,
    (m) =>
      `Die Sprache „${m[1]}“ steht nicht unter „locales“ in lotse.config.json (${m[2]}). Ergänzen Sie sie dort oder wählen Sie eine andere.`,
  ],
  [
    /^field "locale" is "(.*)" but the file name ends in "(.*)"\./,
    (m) => `Die Sprache ist „${m[1]}“, der Dateiname endet aber auf „${m[2]}“.`,
  ],
  [
    /^link target (".*") is not allowed\./,
    (m) =>
      `Das Linkziel ${quoted(m[1] ?? '')} ist nicht erlaubt. Verwenden Sie eine vollständige Adresse, die mit https://, http:// oder mailto: beginnt.`,
  ],
  [
    /^raw HTML (".*") is not allowed in answers/,
    (m) =>
      `HTML wie ${quoted(m[1] ?? '')} ist in Antworten nicht erlaubt und wurde weggelassen. Verwenden Sie Markdown: **fett**, *kursiv*, [Link](https://…), „- “ für Listen.`,
  ],
  [
    /^images are not supported in answers\./,
    () =>
      'Bilder sind in Antworten nicht möglich. Verlinken Sie das Bild stattdessen, z. B. [Größentabelle](https://…).',
  ],
  [
    /^the answer is missing\./,
    () => 'Die Antwort fehlt: der Text, den Besucher als Antwort sehen.',
  ],
  [
    /^the knowledge base has no entries\./,
    () => 'Die Wissensdatenbank hat keine Einträge. Legen Sie mindestens einen Eintrag an.',
  ],
  [
    /^the file is not valid JSON:/,
    () =>
      'Die Datei ist kein gültiges JSON. Prüfen Sie, ob ein Komma fehlt oder zu viel ist oder ein Schlüssel keine Anführungszeichen hat.',
  ],
  [
    /^the front matter is not valid YAML:/,
    () =>
      'Die Kopffelder sind kein gültiges YAML. Setzen Sie einen Text mit „: “ oder „#“ in Anführungszeichen, z. B. title: "Versand: Dauer".',
  ],
  [
    /^the file has no front matter\./,
    () => 'Die Datei hat keine Kopffelder: sie beginnt mit einer Zeile „---“, dann den Feldern.',
  ],
  [
    /^the front matter is not closed\./,
    () => 'Die Kopffelder sind nicht abgeschlossen: es fehlt die Zeile „---“ vor der Antwort.',
  ],
  [
    /^field "topics" must hold at least one topic/,
    () => 'Unter „topics“ muss mindestens ein Thema stehen.',
  ],
  [
    /^field "defaultLocale" is "(.*)", which is not in "locales" \((.*)\)\./,
    (m) =>
      `„defaultLocale“ ist „${m[1]}“, das steht aber nicht unter „locales“ (${m[2]}). Ergänzen Sie es dort oder wählen Sie eine dieser Sprachen.`,
  ],
  [
    /^field "(.*)" has no "(\w+)" text\./,
    (m) =>
      `Dem Feld „${m[1]}“ fehlt der Text für „${m[2]}“: jeder Text braucht eine Übersetzung je Sprache unter „locales“.`,
  ],
  [
    /^field "(.*)" is for a locale not in "locales" \((.*)\)\./,
    (m) =>
      `„${m[1]}“ ist für eine Sprache, die nicht unter „locales“ steht (${m[2]}). Entfernen Sie es oder ergänzen Sie die Sprache.`,
  ],
  [
    /^field "thresholds\.suggest" \((.*)\) must be below "thresholds\.answer" \((.*)\)/,
    (m) => `„thresholds.suggest“ (${m[1]}) muss kleiner sein als „thresholds.answer“ (${m[2]}).`,
  ],
  // Check suites (parse-checks, and the references kb-source checks).
  [
    /^(?:check "(.*)" )?names no (entry|topic) of the knowledge base: (".*?")/,
    (m) =>
      `${m[1] === undefined ? 'Die Prüffrage' : `Die Prüffrage „${m[1]}“`} nennt ${m[2] === 'entry' ? 'einen Eintrag' : 'ein Thema'}, den es in der Wissensdatenbank nicht gibt: ${quoted(m[3] ?? '')}. Tragen Sie ${m[2] === 'entry' ? 'die Kennung eines Eintrags' : 'ein Thema aus lotse.config.json'} ein oder entfernen Sie die Prüffrage.`,
  ],
  [/^is not JSON \(/, () => 'Die Zeile ist kein gültiges JSON-Objekt.'],
  [/^"(.*)" is used on line (\d+) already\./, (m) => `„${m[1]}“ steht schon in Zeile ${m[2]}.`],
  [
    /\. Write \{"id", "locale", "question", "expect"/,
    () =>
      'Die Zeile ist ungültig. Jede Zeile ist ein JSON-Objekt {"id", "locale", "question", "expect": {"entry", "topic", "kind", "level", "signals"}}; „locale“ ist „de“ oder „en“.',
  ],
  // explain-issues' generic shapes.
  [
    /^unknown field "(.*?)"\.(?: Did you mean "(.*?)"\?)?(?: Allowed here: (.*)\.)?$/,
    (m) =>
      `Unbekanntes Feld „${m[1]}“.${m[2] === undefined ? '' : ` Meinten Sie „${m[2]}“?`}${m[3] === undefined ? '' : ` Erlaubt sind hier: ${m[3]}.`}`,
  ],
  [
    /^key (".*?") (is not [^.]*)\./,
    (m) =>
      `Der Schlüssel ${quoted(m[1] ?? '')} ${expects[m[2] ?? ''] ?? 'ist hier nicht erlaubt'}.`,
  ],
  [
    /^(?:field "(.*?)"|the file) is missing\./,
    (m) => (m[1] === undefined ? 'Die Datei ist leer.' : `Das Feld „${m[1]}“ fehlt.`),
  ],
  [
    /^(?:field "(.*?)"|the file) (.*) \(got (.*)\)\./,
    (m) =>
      `${m[1] === undefined ? 'Die Datei' : `Das Feld „${m[1]}“`} ${expects[m[2] ?? ''] ?? 'ist ungültig'} (Wert: ${value(m[3] ?? '')}).`,
  ],
];

function german(message: string): string {
  for (const [shape, say] of shapes) {
    const m = shape.exec(message);
    if (m !== null) return say(m);
  }
  return message;
}
