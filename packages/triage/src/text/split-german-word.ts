/**
 * German compounds and derivations for the classifier: "Rücksendung", "zurücksenden" and
 * "zurückgeschickt" share the parts "zuruck" + "send…"; "Benutzerkonto" contains "konto";
 * "Stornierungsmöglichkeit" contains "stornier…". Works on normalised words (`normalizeText`:
 * lower case, umlauts folded), so "rucksendung" stands for "Rücksendung".
 */

/**
 * Separable and common verb particles, longest first. "ruck" is the bound form of "zurück"
 * in nouns (Rückgabe / zurückgeben) and is folded to it.
 */
const PARTICLES =
  'zusammen zuruck wieder weiter durch unter nach ruck fest auf aus ein mit vor weg hin her los uber um ab an zu'.split(
    ' ',
  );
const PARTICLE_FORM: Readonly<Record<string, string>> = { ruck: 'zuruck' };

// Derivational and inflectional endings, longest first; folding them makes "stornieren",
// "storniert" and "Stornierung" one base ("stornier"). Snowball keeps them apart
// ("storni" / "stornier"), and "zurücksenden" / "Rücksendung" too ("zurucks" / "rucksend").
const ENDINGS = 'ungen keiten heiten keit heit ung ern est en er es et st e n s t'.split(' ');
// Linking elements between compound parts ("Stornierung-s-möglichkeit", "Kunde-n-konto").
const LINKS = ['es', 'en', 'er', 's', 'n', 'e'];
/** Shortest base a folded word keeps, and shortest compound part. */
const MIN_PART = 4;
// A part the lexicon does not know must be longer: short unknown pieces are usually a bad cut.
const MIN_UNKNOWN_PART = 5;
// What must follow a two-letter particle or an infix for the split to count.
const MIN_REST = 6;
// Words longer than this are not split: the search is quadratic in the length.
const MAX_SPLIT_LENGTH = 40;

/**
 * Folds a normalised German word to a base shared by its inflections and derivations:
 * one ending (-ung, -keit, -en, -t, …) removed when at least four letters remain.
 * @example foldGermanWord('stornierung') // 'stornier'
 */
export function foldGermanWord(word: string): string {
  for (const ending of ENDINGS) {
    if (word.length - ending.length < MIN_PART || !word.endsWith(ending)) continue;
    // A final "t" is a verb ending after most letters ("geschickt", "bestellt", "storniert"),
    // but part of the stem in "Antwort", "Etikett", "Angebot"-like words ("rt", "tt", "nt", …).
    if (ending === 't' && !word.endsWith('iert') && KEEPS_FINAL_T.test(word)) continue;
    return word.slice(0, -ending.length);
  }
  return word;
}

const KEEPS_FINAL_T = /[rtnsfho]t$/;

/** Parts of compounds a knowledge base uses, from its own vocabulary (built at training time). */
export interface GermanLexicon {
  /** Known words and their folded bases. */
  readonly parts: ReadonlySet<string>;
}

/**
 * Builds the lexicon from normalised training words (without digits): every word of at least four letters,
 * its folded base, and the rest after a verb particle ("rucksendung" → "sendung").
 */
export function createGermanLexicon(words: Iterable<string>): GermanLexicon {
  const parts = new Set<string>();
  const add = (word: string) => {
    if (word.length < MIN_PART) return;
    parts.add(word);
    parts.add(foldGermanWord(word));
  };
  for (const word of words) {
    add(word);
    const split = splitParticle(word);
    if (split !== undefined) add(split[1]);
  }
  return { parts };
}

/** Splits a leading particle off ("zuruckgeschickt" → ["zuruck", "schickt"]); `undefined` if none. */
function splitParticle(word: string): [string, string] | undefined {
  for (const particle of PARTICLES) {
    if (!word.startsWith(particle)) continue;
    let rest = word.slice(particle.length);
    // "zurückzuschicken", "zurückgeschickt": the infix belongs to the verb form, not the stem.
    for (const infix of ['zu', 'ge']) {
      if (rest.startsWith(infix) && rest.length - infix.length >= MIN_REST)
        rest = rest.slice(infix.length);
    }
    // Short particles start many words that are not particle verbs ("antwort", "anderen").
    if (rest.length >= (particle.length <= 2 ? MIN_REST : MIN_PART + 1))
      return [PARTICLE_FORM[particle] ?? particle, rest];
  }
  return undefined;
}

const knows = (lexicon: GermanLexicon, piece: string): boolean =>
  lexicon.parts.has(piece) || lexicon.parts.has(foldGermanWord(piece));

/**
 * Splits a compound into two or more parts the lexicon knows (fewest unknown parts, then
 * most parts), allowing linking elements between them and at most one unknown part of five or
 * more letters ("benutzerkonto" → ["benutzer", "konto"] when "konto" is known).
 * Returns `undefined` when there is no such split.
 */
function splitCompound(word: string, lexicon: GermanLexicon): string[] | undefined {
  const n = word.length;
  if (n < 2 * MIN_PART || n > MAX_SPLIT_LENGTH) return undefined;
  // A word the lexicon knows whole splits only into known, longer parts ("kundenkonto" →
  // "kunden" + "konto"), so that "storniert" does not become "stor" + "niert".
  const whole = knows(lexicon, word);
  const minKnown = whole ? MIN_PART + 1 : MIN_PART;
  const maxUnknown = whole ? 0 : 1;
  // For a split of word[i..]: fewest unknown parts, then most parts; unknown[i] = -1: none.
  const unknown = new Array<number>(n + 1).fill(-1);
  const count = new Array<number>(n + 1).fill(0);
  const next = new Array<number>(n + 1).fill(0);
  const skip = new Array<number>(n + 1).fill(0);
  unknown[n] = 0;
  for (let i = n - MIN_PART; i >= 0; i--) {
    for (let j = i + MIN_PART; j <= n; j++) {
      // The whole word is not a split of itself.
      if (i === 0 && j === n) continue;
      const piece = word.slice(i, j);
      const known = piece.length >= minKnown && knows(lexicon, piece);
      if (!known && (maxUnknown === 0 || piece.length < MIN_UNKNOWN_PART)) continue;
      // After a part: the end of the word or another part, perhaps after a linking element.
      for (const link of ['', ...LINKS]) {
        const at = j + link.length;
        if (at > n || unknown[at]! < 0 || !word.startsWith(link, j)) continue;
        const u = unknown[at]! + (known ? 0 : 1);
        const c = count[at]! + 1;
        if (u > maxUnknown) continue;
        if (unknown[i]! < 0 || u < unknown[i]! || (u === unknown[i] && c > count[i]!)) {
          unknown[i] = u;
          count[i] = c;
          next[i] = j;
          skip[i] = link.length;
        }
      }
    }
  }
  if (unknown[0]! < 0 || count[0]! < 2 || unknown[0]! >= count[0]!) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < n; i = next[i]! + skip[i]!) parts.push(word.slice(i, next[i]));
  return parts;
}

/**
 * Splits a normalised German word into its particle and compound parts, each folded to its
 * base; a word that does not split gives its own base. Deterministic and bounded.
 * @example splitGermanWord('zurucksenden', lexicon) // ['zuruck', 'send']
 */
export function splitGermanWord(word: string, lexicon: GermanLexicon): string[] {
  const out: string[] = [];
  let rest = word;
  const particle = splitParticle(word);
  if (particle !== undefined) {
    out.push(particle[0]);
    rest = particle[1];
  }
  const parts = splitCompound(rest, lexicon) ?? [rest];
  for (const part of parts) out.push(foldGermanWord(part));
  return out;
}
