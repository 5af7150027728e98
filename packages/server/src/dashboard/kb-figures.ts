// The dashboard's knowledge-base figures: mystery-check results per published version, answers and
// ratings per version, and whether the served model now answers a content gap (and since when).
import type { KbVersionInfo } from '../kb/kb-queries.js';

/** The served model's answer to a question: the entry and the language it read the question in. */
export interface ServedAnswer {
  entryId: string;
  locale: string;
}

/** What the dashboard knows of a site's knowledge base. */
export interface KnowledgeBaseState {
  /** Published versions, newest first (`Store.listKbVersions`). */
  versions: readonly KbVersionInfo[];
  /**
   * Decides a question with the model the site serves now; undefined when it does not answer it
   * (a suggestion or handoff) or no model is served.
   */
  answer?: (text: string, locale: string | null) => ServedAnswer | undefined;
}

/** One version's mystery checks (the check suite run when it was published). */
export interface MysteryCheck {
  version: number;
  publishedAt: number;
  /** E-mail of the publishing agent; null for an import from the site's folder. */
  author: string | null;
  passed: number;
  total: number;
  /** passed ÷ total; null without checks. */
  passRate: number | null;
  /** Why an owner published although checks that passed before failed. */
  overrideReason: string | null;
}

/** Answers shown and rated under one knowledge-base version. */
export interface KbVersionAnswers {
  version: number;
  shown: number;
  rated: number;
  helpful: number;
  /** helpful ÷ rated; null without ratings. */
  helpfulRate: number | null;
}

/** Why a content gap counts as closed: the served model answers its question now. */
export interface GapClosure {
  /** The entry that answers it. */
  entryId: string;
  /** The language the question was read in. */
  locale: string;
  /**
   * The first version published after the gap's first occurrence in the period: the publish that
   * (at the latest) made it answerable. Null when none was published since, i.e. the question went
   * unanswered while an answering model was already served (another language, an older panel).
   */
  version: number | null;
  at: number | null;
  /** Unanswered occurrences per day in the period before `at`, and from `at` to its end. */
  perDayBefore: number | null;
  perDayAfter: number | null;
}

/** Questions nobody could answer, grouped by their normalised text. */
export interface ContentGap {
  text: string;
  count: number;
  /** The language of its first occurrence, when the widget said. */
  locale: string | null;
  closed: GapClosure | null;
}

/**
 * The versions published strictly inside the period, oldest first: their publish times split it
 * into spans of one served version, and an occurrence at `ts` falls into span `b` = how many of them
 * were published at or before `ts`.
 */
export function versionStarts(
  versions: readonly KbVersionInfo[],
  from: number,
  to: number,
): KbVersionInfo[] {
  return versions
    .filter((v) => v.createdAt > from && v.createdAt < to)
    .sort((a, b) => a.createdAt - b.createdAt || a.version - b.version);
}

/** The span (see {@link versionStarts}) that `ts` falls into. */
export function spanOf(starts: readonly KbVersionInfo[], ts: number): number {
  let span = 0;
  while (span < starts.length && starts[span]!.createdAt <= ts) span++;
  return span;
}

/** The versions published before `to`, newest first (at most 100), with their check results. */
export function mysteryChecks(versions: readonly KbVersionInfo[], to: number): MysteryCheck[] {
  return versions
    .filter((v) => v.createdAt < to)
    .slice(0, 100)
    .map((v) => {
      const passed = v.checksTotal - v.checksFailed.length;
      return {
        version: v.version,
        publishedAt: v.createdAt,
        author: v.author,
        passed,
        total: v.checksTotal,
        passRate: v.checksTotal === 0 ? null : passed / v.checksTotal,
        overrideReason: v.overrideReason,
      };
    });
}

/** One version's counts of `answer.shown` and `answer.rated`, as the SQL or the facts give them. */
export interface KbVersionTally {
  version: number;
  shown: number;
  rated: number;
  helpful: number;
}

/** Answers by version, newest version first. */
export function answersByKbVersion(tallies: Iterable<KbVersionTally>): KbVersionAnswers[] {
  return [...tallies]
    .map((t) => ({ ...t, helpfulRate: t.rated === 0 ? null : t.helpful / t.rated }))
    .sort((a, b) => b.version - a.version);
}

/** One group of unanswered questions as the SQL or the facts give it. */
export interface GapTally {
  text: string;
  locale: string | null;
  count: number;
  /** Occurrences per span of {@link versionStarts} (index = span). */
  bySpan: Map<number, number>;
}

/** Options of {@link contentGaps}. */
export interface ContentGapsOptions {
  kb: KnowledgeBaseState | undefined;
  from: number;
  to: number;
  /** Moment of evaluation: a period that ends later counts its days only up to now. */
  now: number;
  /** The versions published inside the period ({@link versionStarts}). */
  starts: readonly KbVersionInfo[];
}

const DAY_MS = 86_400_000;

/** Occurrences per day over `[start, end)`; null for an empty span. */
const perDay = (count: number, start: number, end: number): number | null =>
  end > start ? count / ((end - start) / DAY_MS) : null;

/**
 * The 100 most frequent gaps, each closed when the served model now answers its first text. A
 * closed gap's date is that of the first version published after its first occurrence in the period
 * (simplest honest reading of "the publish that made it answerable": checking every version's model
 * would mean loading each of them), and its rate is compared before and after that date.
 */
export function contentGaps(
  tallies: Iterable<GapTally>,
  options: ContentGapsOptions,
): ContentGap[] {
  const { kb, from, starts } = options;
  const end = Math.min(options.to, options.now);
  return [...tallies]
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
    .slice(0, 100)
    .map((g) => {
      const answer = kb?.answer?.(g.text, g.locale);
      if (answer === undefined)
        return { text: g.text, count: g.count, locale: g.locale, closed: null };
      const first = Math.min(...g.bySpan.keys());
      // The first version created after the first occurrence starts the next span; after the last
      // span inside the period it is the first published at or after its end, if any.
      const closing = starts[first] ?? firstPublishedFrom(kb?.versions ?? [], options.to);
      const at = closing?.createdAt ?? null;
      let before = 0;
      for (const [span, n] of g.bySpan) if (span <= first) before += n;
      return {
        text: g.text,
        count: g.count,
        locale: g.locale,
        closed: {
          ...answer,
          version: closing?.version ?? null,
          at,
          perDayBefore: at === null ? null : perDay(before, from, Math.min(at, end)),
          perDayAfter: at === null ? null : perDay(g.count - before, at, end),
        },
      };
    });
}

/** The first version published at or after `at`. */
function firstPublishedFrom(
  versions: readonly KbVersionInfo[],
  at: number,
): KbVersionInfo | undefined {
  let found: KbVersionInfo | undefined;
  for (const v of versions) {
    if (v.createdAt < at) continue;
    if (found === undefined || v.createdAt < found.createdAt) found = v;
    else if (v.createdAt === found.createdAt && v.version < found.version) found = v;
  }
  return found;
}
