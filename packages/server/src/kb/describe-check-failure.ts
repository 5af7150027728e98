// A failing check's "what differs" line as the editor shows it. @lotse/triage's runChecks writes
// one English line per differing field (`entry: expected change-order, got none`), for terminals
// and CI; the pages say it in their language, with entries and signals by name.
import { messagesFor, type PageLocale, signalName } from '../pages/i18n.js';
import { fill, type KbMessages, kbMessagesFor } from './kb-messages.js';

// runChecks' shape: `${field}: expected ${expected}, got ${got ?? 'none'}`; a kind expected is
// `kind.join(' or ')`, signals `join(', ')`. Entry and topic ids are slugs, so ", got " ends the
// expected part.
const LINE = /^(entry|topic|kind|level|signals): expected (.*?), got (.*)$/;

/**
 * Describes one line of a failing check's `failures` in `locale`; a line of another shape keeps
 * its text rather than showing nothing.
 *
 * @example describeCheckFailure('kind: expected answer, got suggest', 'de') // 'Entscheidung: erwartet Antwort, tatsächlich Vorschläge'
 */
export function describeCheckFailure(line: string, locale: PageLocale): string {
  const m = LINE.exec(line);
  if (m === null) return line;
  const [, field = '', expected = '', got = ''] = m;
  const t = kbMessagesFor(locale);
  const say = sayers[field as keyof typeof sayers];
  return fill(t.checkDiffers, {
    field: say.label(t),
    expected: say.expected(expected, t, locale),
    got: got === 'none' ? say.none(t) : say.got(got, t, locale),
  });
}

type Say = (value: string, t: KbMessages, locale: PageLocale) => string;

const quote = (id: string, locale: PageLocale) => (locale === 'de' ? `„${id}“` : `"${id}"`);
const id: Say = (value, _t, locale) => quote(value, locale);
const kinds: Say = (value, t) => {
  const names: Record<string, string> = {
    answer: t.kindAnswer,
    suggest: t.kindSuggest,
    handoff: t.kindHandoff,
    acknowledge: t.kindAcknowledge,
  };
  return value
    .split(' or ')
    .map((k) => names[k] ?? k)
    .join(` ${t.or} `);
};
const signals: Say = (value, _t, locale) =>
  value
    .split(', ')
    .map((s) => signalName(messagesFor(locale), s))
    .join(', ');

const sayers: Record<
  'entry' | 'topic' | 'kind' | 'level' | 'signals',
  { label: (t: KbMessages) => string; expected: Say; got: Say; none: (t: KbMessages) => string }
> = {
  entry: { label: (t) => t.entry, expected: id, got: id, none: (t) => t.noEntry },
  topic: { label: (t) => t.topic, expected: id, got: id, none: (t) => t.noTopic },
  kind: { label: (t) => t.decision, expected: kinds, got: kinds, none: (t) => t.noneOf },
  level: { label: (t) => t.level, expected: (v) => v, got: (v) => v, none: (t) => t.noneOf },
  signals: {
    label: (t) => t.signalsField,
    expected: signals,
    got: signals,
    none: (t) => t.noSignals,
  },
};
