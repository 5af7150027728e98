import { hashString } from '../model/hash.js';
import { languageEvidence } from '../text/detect-language.js';
import type { ComplaintKind } from './signal-corpus.js';

/** One token of a message: where it is in the original text, folded, and whether it is negated. */
export interface SignalToken {
  start: number;
  end: number;
  /** Folded form: lower case, no diacritics, ß as ss, ae/oe/ue as a/o/u; punctuation as typed. */
  form: string;
  /** True inside a negation scope ("nicht dringend": `dringend` is negated). */
  negated: boolean;
}

/** A hashed feature and the tokens it came from (`from..to`, inclusive; -1 for the whole text). */
export interface SignalFeature {
  bucket: number;
  from: number;
  to: number;
  /** A pair of words one apart; only the complaint model weighs these. */
  gap?: true;
}

// Long texts are read up to here: cues sit in the first lines, and it bounds the cost.
const MAX_CHARS = 3000;
// A negation covers at most this many words: visitors often write without punctuation, and the
// rest of "nicht dringend wann kommt mein paket" is not negated.
const NEGATION_REACH = 4;
// Words, emoji, and punctuation: it ends negation scopes and carries tone ("!!!", "???", "…", and
// scare quotes: der "Kundenservice").
const TOKEN =
  /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}]+)*|\p{Extended_Pictographic}|[!?]+|\.{2,}|…|[.,;:()"„“”«»]/gu;
const NEGATORS = new Set(
  'nicht nich net ned kein keine keinen keinem keiner keines ohne no not never without dont doesnt didnt isnt arent wasnt werent cant cannot couldnt wont wouldnt shouldnt havent hasnt hadnt aint'.split(
    ' ',
  ),
);
// Contrast words end a negation: "keine Beschwerde, aber …", "not urgent but".
const SCOPE_ENDS = new Set(['aber', 'sondern', 'doch', 'but', 'however', 'though']);
// German umlauts typed as two letters ("zurueck"), unless a vowel or q precedes ("neue", "quelle").
const DIGRAPHS = /(^|[^aeiouq])([aou])e/g;

/** Folds one word: "Zurück", "zurueck" and "ZURUECK" all become "zuruck"; "Straße" becomes "strasse". */
export function foldWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’]/g, '')
    .replace(DIGRAPHS, '$1$2');
}

/** Splits a message into folded tokens with negation scopes marked. */
export function readSignalTokens(text: string): SignalToken[] {
  const tokens: SignalToken[] = [];
  let reach = 0;
  for (const found of text.slice(0, MAX_CHARS).matchAll(TOKEN)) {
    const raw = found[0];
    const start = found.index;
    const form = foldWord(raw);
    const isWord = /[\p{L}\p{N}]/u.test(raw);
    if (!isWord && /[.,;:!?()]/.test(raw)) reach = 0;
    if (SCOPE_ENDS.has(form)) reach = 0;
    tokens.push({ start, end: start + raw.length, form, negated: isWord && reach > 0 });
    if (isWord && reach > 0) reach--;
    if (NEGATORS.has(form)) reach = NEGATION_REACH;
  }
  return tokens;
}

/**
 * Hashed features of a tokenised message: word uni- and bigrams, pairs of words one apart, the
 * last six letters of long words, shouting in capitals, the message length, and each sentence's
 * last word. A negated word is marked ("~dringend"), so "nicht dringend" shares nothing with
 * "dringend". Character 3–5-grams and 6-letter word prefixes both lost in cross-validation on the
 * corpus (complaint recall 0.45 and 0.41 against 0.49 at the same false-alarm rate); word ends
 * raised it from 0.68 to 0.69 at 2 %, pairs one apart from 0.71 to 0.72 (0.74 to 0.77 at 3 %);
 * stems (`foldGermanWord`) and numbers folded to one token did not help.
 */
export function signalFeatures(
  text: string,
  tokens: readonly SignalToken[],
  bits: number,
): SignalFeature[] {
  const shift = 32 - bits;
  const seen = new Set<number>();
  const features: SignalFeature[] = [];
  const add = (name: string, from: number, to: number, gap?: true) => {
    const bucket = hashString(name) >>> shift;
    if (seen.has(bucket)) return;
    seen.add(bucket);
    features.push(gap ? { bucket, from, to, gap } : { bucket, from, to });
  };
  let previous = '^';
  let before = '^';
  let words = 0;
  tokens.forEach((token, i) => {
    // A sentence ends alike with ".", "!", "!!!" or nothing: the corpus's complaints mostly end
    // in ".", its praise and thanks in "!", so the marks taught the model that "Ich will mich
    // beschweren!" is none (test split complaints ending in "!": 48 % found, in ".": 83 %).
    if (/^(?:\.|!+)$/.test(token.form)) {
      if (previous !== '^') add(`b${previous} $`, i - 1, i - 1);
      previous = before = '^';
      return;
    }
    const mark = token.negated ? '~' : '';
    const form = mark + token.form;
    add(`w${form}`, i, i);
    add(`b${previous} ${form}`, Math.max(i - 1, 0), i);
    // Two words with one between ("nie mehr wieder", "super service echt"): phrasings vary there.
    add(`k${before} ${form}`, Math.max(i - 2, 0), i, true);
    before = previous;
    previous = form;
    if (!/[\p{L}\p{N}]/u.test(token.form)) return;
    words++;
    // The end of a long word stands for a German compound's head: "Verbraucherzentrale" and
    // "Kundenzentrale", "Rückbuchung" and "Fehlbuchung" share it.
    if (token.form.length >= 9) add(`h${mark}${token.form.slice(-6)}`, i, i);
    const raw = text.slice(token.start, token.end);
    if (raw.length > 2 && raw === raw.toUpperCase() && raw !== raw.toLowerCase()) add('CAPS', i, i);
  });
  if (previous !== '^') add(`b${previous} $`, tokens.length - 1, tokens.length - 1);
  add(`L${Math.min(words, 4)}`, -1, -1);
  return features;
}

/**
 * A high-precision cue: a complaint kind and the words that give it away, in a row, folded like
 * tokens. A word ending in `*` matches by prefix ("beschwer*": "Beschwerde", "beschwere"), one
 * in stars anywhere in a word ("*anwalt*": "Rechtsanwältin"), `?` one intensifier ("bin ?
 * enttauscht": "bin echt enttäuscht", not "bin nie enttäuscht"), others exactly. A `~` before the
 * first word keeps the rule from matching right after "if", "wenn", "falls", "when" and the like:
 * "If I'm unhappy with it, can I return it?" supposes the feeling.
 */
export type SignalRule = [kind: ComplaintKind, words: string];

/** Where a rule matched: its index and the tokens `from..to` (inclusive). */
export interface RuleMatch {
  rule: number;
  from: number;
  to: number;
}

/**
 * One word of a rule, ready to match: how (0 exactly, 1 by prefix, 2 anywhere, 3 one of the
 * intensifiers, `|`-separated in `text`) and what; `supposable` on a first word marked `~`.
 */
export type CompiledWord = readonly [how: 0 | 1 | 2 | 3, text: string, supposable?: true];

/** A rule's words, ready to match. */
export type CompiledRule = readonly CompiledWord[];

/**
 * Reads one word of a rule: "beschwer*" by prefix, "*anwalt*" anywhere, others exactly; folded
 * like a token, so "sue" matches the token "sue" (both fold to "su", as "zurueck" to "zuruck").
 */
export function compileWord(word: string, intensifiers = ''): CompiledWord {
  if (word === '?') return [3, intensifiers];
  if (word.startsWith('~')) {
    const [how, text] = compileWord(word.slice(1), intensifiers);
    return [how, text, true];
  }
  return [word[0] === '*' ? 2 : word.endsWith('*') ? 1 : 0, foldWord(word.replace(/\*/g, ''))];
}

/**
 * Splits rules into words once, so that matching allocates nothing; `?` stands for one of the
 * `intensifiers`, folded (they travel in the model, `INTENSIFIERS` of signal-rules.ts).
 */
export function compileRules(
  rules: readonly SignalRule[],
  intensifiers: readonly string[] = [],
): CompiledRule[] {
  const among = `|${intensifiers.join('|')}|`;
  return rules.map((rule) =>
    String(rule?.[1])
      .split(' ')
      .map((word) => compileWord(word, among)),
  );
}

/** Whether a folded token is the rule word: exactly, by prefix, containing it, or an intensifier. */
export function wordMatches(form: string, [how, text]: CompiledWord): boolean {
  if (how === 3) return text.includes(`|${form}|`);
  return how === 2 ? form.includes(text) : how === 1 ? form.startsWith(text) : form === text;
}

/** Whether any token, negated or not, is one of the words (the person cues' test). */
export function hasAnyWord(
  tokens: readonly SignalToken[],
  words: readonly CompiledWord[],
): boolean {
  return tokens.some((token) => words.some((word) => wordMatches(token.form, word)));
}

/** Person cues compiled: those that count in any message, and those that count in German ones. */
export interface CompiledCues {
  any: CompiledWord[];
  german: CompiledWord[];
}

/** Compiles cue words; a `de:` before one makes it count only in a message read as German. */
export function compileCues(cues: readonly string[]): CompiledCues {
  const compiled: CompiledCues = { any: [], german: [] };
  for (const cue of cues) {
    if (cue.startsWith('de:')) compiled.german.push(compileWord(cue.slice(3)));
    else compiled.any.push(compileWord(cue));
  }
  return compiled;
}

/**
 * Whether a message has one of the cues (negated or not); a German-only one counts in a message
 * read as German, or written as a German noun ("Personal", capitalised) in one with some German
 * and not clearly more English: "Ich brauche Personal an Kasse 3" has as many English stop words
 * ("an") as German ones, "Personal details wrong" none of either.
 */
export function hasCue(text: string, tokens: readonly SignalToken[], cues: CompiledCues): boolean {
  if (hasAnyWord(tokens, cues.any)) return true;
  const token = tokens.find((t) => cues.german.some((word) => wordMatches(t.form, word)));
  if (token === undefined) return false;
  const { german, english } = languageEvidence(text);
  if (german > english) return true;
  const initial = text[token.start] ?? '';
  return initial !== initial.toLowerCase() && german > 0 && german >= english - 1;
}

// Before a rule marked `~`, a supposition: "if / when / in case / unless I'm unhappy", "wenn …"
// ("in case" as two words: "in any case" supposes nothing).
const CONDITIONALS = ['if', 'when', 'unless', 'whether', 'wenn', 'falls', 'ob', 'in case'];

/** Rules by what their first word can start a match on, so a token meets only its candidates. */
interface RuleIndex {
  /** By the exact first word, or the first two letters of a prefix one ("verklag*"). */
  exact: Map<string, number[]>;
  prefix: Map<string, number[]>;
  /** The rest (a first word matched anywhere, or a short prefix): tried at every token. */
  everywhere: number[];
}

const ruleIndexes = new WeakMap<readonly CompiledRule[], RuleIndex>();

function indexRules(rules: readonly CompiledRule[]): RuleIndex {
  let index = ruleIndexes.get(rules);
  if (index !== undefined) return index;
  index = { exact: new Map(), prefix: new Map(), everywhere: [] };
  const add = (map: Map<string, number[]>, key: string, rule: number) =>
    map.set(key, [...(map.get(key) ?? []), rule]);
  for (const [rule, words] of rules.entries()) {
    const [how, text] = words[0] ?? [3, ''];
    if (how === 0) add(index.exact, text, rule);
    else if (how === 1 && text.length > 1) add(index.prefix, text.slice(0, 2), rule);
    else index.everywhere.push(rule);
  }
  ruleIndexes.set(rules, index);
  return index;
}

/**
 * The first rule (in list order) whose words occur in a row, the first of them outside a negation
 * scope (and, for a rule marked `~`, not right after a supposition); of its matches the first.
 */
export function matchRule(
  tokens: readonly SignalToken[],
  rules: readonly CompiledRule[],
): RuleMatch | undefined {
  const index = indexRules(rules);
  let found: RuleMatch | undefined;
  const tryAt = (rule: number, i: number) => {
    // Rule order decides, then position: a later position of the same rule never wins.
    if (found !== undefined && rule >= found.rule) return;
    const words = rules[rule]!;
    if (i + words.length > tokens.length) return;
    if (words[0]?.[2]) {
      const before = ` ${tokens[i - 2]?.form} ${tokens[i - 1]?.form}`;
      if (CONDITIONALS.some((c) => before.endsWith(` ${c}`))) return;
    }
    if (words.every((w, j) => wordMatches(tokens[i + j]!.form, w)))
      found = { rule, from: i, to: i + words.length - 1 };
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.negated) continue;
    for (const rule of index.exact.get(token.form) ?? []) tryAt(rule, i);
    for (const rule of index.prefix.get(token.form.slice(0, 2)) ?? []) tryAt(rule, i);
    for (const rule of index.everywhere) tryAt(rule, i);
  }
  return found;
}

// Emoji that end a chat kindly; any other (🙄, 👏, 🤬) may be the message's sarcasm.
const FRIENDLY = /^[👍🙂😊☺🙏👋👌😀😄]*$/u;

/**
 * Whether a message is only words of a chat's end (`CLOSING_WORDS`, folded), with no sour sign
 * (a question mark, a sad text face, …: `SOUR`) and no emoji but friendly ones.
 */
export function isClosing(
  text: string,
  tokens: readonly SignalToken[],
  words: ReadonlySet<string>,
): boolean {
  const content = wordTokens(tokens);
  return calm(text) && content.length > 0 && content.every((t) => words.has(t.form));
}

/** The words that end a chat, beside closing words (see `CHAT_END_WORDS`). */
export interface ChatEnd {
  thanks: readonly string[];
  words: readonly string[];
  context: readonly string[];
  /** Words a message may open with before it says anything ("ok", "danke"). */
  open: readonly string[];
  /** A verb first and a subject after it ask ("Ist das erledigt", "Passt das", "have you got it"). */
  verbs: readonly string[];
  subjects: readonly string[];
}

/**
 * Whether a message only ends the chat: closing words and a thanks, a confirmation or a goodbye,
 * beside thanks also what it was for ("Danke für die schnelle Hilfe!"), calm as `isClosing` asks,
 * and no question without its question mark.
 */
export function endsChat(
  text: string,
  tokens: readonly SignalToken[],
  closing: ReadonlySet<string>,
  end: ChatEnd,
): boolean {
  const words = wordTokens(tokens).map((t) => t.form);
  const thanked = words.some((w) => end.thanks.includes(w));
  // A question left without its question mark: the verb first, a subject after it ("Hat es
  // geklappt"; "Hat geklappt, danke" tells).
  const i = words.findIndex((w) => !end.thanks.includes(w) && !end.open.includes(w));
  const asks = end.verbs.includes(words[i] ?? '') && end.subjects.includes(words[i + 1] ?? '');
  return (
    calm(text) &&
    !asks &&
    (thanked || words.some((w) => end.words.includes(w))) &&
    words.every((w) => closing.has(w) || (thanked && end.context.includes(w)))
  );
}

// A question mark, a sad or sour text face (":(", ":'(", ":-/", "-.-", "-_-"), two dots or more,
// or a word in quotation marks ("Danke für die „Hilfe“", "thanks for the 'help'"): not the way a
// content visitor says goodbye. A closing ’ is left alone: it is also the apostrophe of "that’s".
const SOUR = /[?？¿…"„“”«»‚‘]|\.\.|[:;=]'?-?[(/\\|[]|-[._]-|\._\.|(^|\s)'\S/;

// No sour sign, and no emoji but friendly ones.
const calm = (text: string) =>
  !SOUR.test(text) && FRIENDLY.test((text.match(/\p{Extended_Pictographic}/gu) ?? []).join(''));

/** The tokens that are words or numbers, not punctuation or emoji. */
export function wordTokens(tokens: readonly SignalToken[]): SignalToken[] {
  return tokens.filter((t) => /[\p{L}\p{N}]/u.test(t.form));
}
