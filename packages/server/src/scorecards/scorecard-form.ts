// The owner's scorecard form and the reviewer's review form: what was typed, read back into rows,
// with an issue naming each wrong field so the page can show it beside the kept input.
import { textareaText } from '../inbox/inbox-format.js';
import type {
  Criterion,
  CriterionScale,
  CriterionScore,
  ScorecardRow,
} from './scorecard-queries.js';

/** Most criterion rows a scorecard form carries. */
export const MAX_CRITERIA = 20;

/** Longest scorecard name. */
export const MAX_NAME_LENGTH = 120;

/** Longest criterion label (the form's `maxlength` and the check share it). */
export const MAX_LABEL_LENGTH = 120;

/** Longest comment on a criterion. */
export const MAX_COMMENT_LENGTH = 2000;

/** A wrong field of a form: `name`, `criteria.2.weight`, `score.c1`, … and a message key. */
export interface FormIssue {
  field: string;
  message:
    | 'errName'
    | 'errSite'
    | 'errTopic'
    | 'errTopicUnknown'
    | 'errSample'
    | 'errLabel'
    | 'errWeight'
    | 'errScale'
    | 'errCriteria'
    | 'errScore'
    | 'errComment';
}

/** A criterion row as typed (all text, so a wrong value is shown again as it was). */
export interface CriterionInput {
  id: string;
  label: string;
  scale: string;
  weight: string;
}

/** The scorecard form as typed. */
export interface ScorecardInput {
  name: string;
  site: string;
  topic: string;
  sample: string;
  criteria: CriterionInput[];
}

/** The form's fields of a stored scorecard (or of a new one). */
export function scorecardInput(s?: ScorecardRow): ScorecardInput {
  return {
    name: s?.name ?? '',
    site: s?.siteKey ?? '',
    topic: s?.topic ?? '',
    sample: String(s?.sampleSize ?? 5),
    criteria: (s?.criteria ?? []).map((c) => ({
      id: c.id,
      label: c.label,
      scale: c.scale,
      weight: String(c.weight),
    })),
  };
}

/** Reads the posted scorecard form. */
export function readScorecardInput(form: URLSearchParams): ScorecardInput {
  const criteria: CriterionInput[] = [];
  for (let i = 0; i < MAX_CRITERIA; i++) {
    const label = form.get(`label_${i}`);
    if (label === null) continue;
    criteria.push({
      id: form.get(`id_${i}`) ?? '',
      label,
      scale: form.get(`scale_${i}`) ?? '1-5',
      weight: form.get(`weight_${i}`) ?? '1',
    });
  }
  return {
    name: form.get('name') ?? '',
    site: form.get('site') ?? '',
    topic: form.get('topic') ?? '',
    sample: form.get('sample') ?? '',
    criteria,
  };
}

/** The checked fields of a scorecard, or the issues. */
export type ScorecardCheck =
  | {
      ok: true;
      value: Pick<ScorecardRow, 'name' | 'siteKey' | 'topic' | 'sampleSize' | 'criteria'>;
    }
  | { ok: false; issues: FormIssue[] };

/**
 * Checks a typed scorecard; `sites` are the known site keys, `topics` the topic ids a scorecard of
 * the chosen site (or of every site) may name, `undefined` when no model says.
 */
export function checkScorecard(
  input: ScorecardInput,
  sites: readonly string[],
  topics?: (site: string) => readonly string[] | undefined,
): ScorecardCheck {
  const issues: FormIssue[] = [];
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME_LENGTH)
    issues.push({ field: 'name', message: 'errName' });
  const site = input.site.trim();
  if (site !== '' && !sites.includes(site)) issues.push({ field: 'site', message: 'errSite' });
  const topic = input.topic.trim();
  const known = topics?.(site);
  if (topic !== '' && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(topic)) {
    issues.push({ field: 'topic', message: 'errTopic' });
  } else if (topic !== '' && known !== undefined && !known.includes(topic)) {
    // A scorecard for a topic no conversation has would never apply.
    issues.push({ field: 'topic', message: 'errTopicUnknown' });
  }
  const sample = Number(input.sample.trim());
  if (!Number.isInteger(sample) || sample < 1 || sample > 50) {
    issues.push({ field: 'sample', message: 'errSample' });
  }
  const used = new Set(input.criteria.map((c) => c.id).filter((id) => /^c\d{1,4}$/.test(id)));
  let next = 1;
  const freshId = () => {
    while (used.has(`c${next}`)) next++;
    used.add(`c${next}`);
    return `c${next}`;
  };
  const criteria: Criterion[] = [];
  const seen = new Set<string>();
  input.criteria.forEach((c, i) => {
    const label = c.label.trim();
    if (label === '') return;
    if (label.length > MAX_LABEL_LENGTH)
      issues.push({ field: `criteria.${i}.label`, message: 'errLabel' });
    if (c.scale !== '1-5' && c.scale !== 'yes-no') {
      issues.push({ field: `criteria.${i}.scale`, message: 'errScale' });
    }
    const weight = Number(c.weight.trim().replace(',', '.'));
    if (c.weight.trim() === '' || !Number.isFinite(weight) || weight <= 0 || weight > 100) {
      issues.push({ field: `criteria.${i}.weight`, message: 'errWeight' });
    }
    // An id is kept only once, so a copied row cannot merge two criteria's scores.
    const id = /^c\d{1,4}$/.test(c.id) && !seen.has(c.id) ? c.id : freshId();
    seen.add(id);
    criteria.push({ id, label, scale: c.scale as CriterionScale, weight });
  });
  if (criteria.length === 0) issues.push({ field: 'criteria', message: 'errCriteria' });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      name,
      siteKey: site === '' ? null : site,
      topic: topic === '' ? null : topic,
      sampleSize: sample,
      criteria,
    },
  };
}

/** The review form as typed: per criterion id, the chosen score ('' for none) and the comment. */
export type ReviewInput = Record<string, { score: string; comment: string }>;

/** Reads the posted review form for these criteria. */
export function readReviewInput(
  form: URLSearchParams,
  criteria: readonly Criterion[],
): ReviewInput {
  return Object.fromEntries(
    criteria.map((c) => [
      c.id,
      { score: form.get(`score_${c.id}`) ?? '', comment: form.get(`comment_${c.id}`) ?? '' },
    ]),
  );
}

/** Checks a typed review: every criterion scored on its scale, comments not too long. */
export function checkReview(
  input: ReviewInput,
  criteria: readonly Criterion[],
): { ok: true; scores: Record<string, CriterionScore> } | { ok: false; issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  const scores: Record<string, CriterionScore> = {};
  for (const c of criteria) {
    const typed = input[c.id] ?? { score: '', comment: '' };
    const allowed = c.scale === '1-5' ? ['1', '2', '3', '4', '5'] : ['0', '1'];
    if (!allowed.includes(typed.score))
      issues.push({ field: `score.${c.id}`, message: 'errScore' });
    // Counted as the textarea's `maxlength` counts: each line break one character.
    const comment = textareaText(typed.comment);
    if (comment.length > MAX_COMMENT_LENGTH) {
      issues.push({ field: `comment.${c.id}`, message: 'errComment' });
    }
    scores[c.id] = { score: Number(typed.score), comment };
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, scores };
}
