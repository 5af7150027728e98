// The model a site serves, loaded for the dashboard's questions (is this content gap answered now?).
import { isLang, type Lang, type Triage } from '@lotse/triage';
import type { ModelRegistry } from '../kb/model-registry.js';
import { servedTriage } from '../kb/served-triage.js';
import type { Logger } from '../options.js';
import type { ServedAnswer } from './kb-figures.js';

/** A site's served model as the dashboard asks it. */
export interface ServedModel {
  /** The served model's ETag: figures that asked it are valid only for it. */
  etag: string;
  /** The knowledge base's default language. */
  defaultLocale: Lang;
  /** The entry that answers `text` (read in `locale` when the model has it), as the widget decides. */
  answer(text: string, locale: string | null): ServedAnswer | undefined;
}

// Models wrapped for the dashboard, by ETag: each keeps its memo of answers.
const wrapped = new Map<string, ServedModel>();

/**
 * The model a site serves now (loaded once per ETag by kb/served-triage.ts), asked as the dashboard
 * asks it; undefined when it serves none or the served file is no triage model.
 */
export function servedModel(
  models: ModelRegistry,
  siteKey: string,
  logger: Logger,
): ServedModel | undefined {
  const served = servedTriage(models, siteKey, logger);
  if (served === undefined) return undefined;
  const key = `${siteKey}\u0000${served.etag}`;
  let model = wrapped.get(key);
  if (model === undefined) {
    for (const k of wrapped.keys()) if (k.startsWith(`${siteKey}\u0000`)) wrapped.delete(k);
    model = wrap(served.etag, served.triage);
    wrapped.set(key, model);
  }
  return model;
}

// Answers kept per model: a decision on the demo model takes 1.5–3 ms, and every new event makes
// the dashboard compute its (up to 100) gaps again, mostly the same questions.
const MEMO_ENTRIES = 10_000;

function wrap(etag: string, triage: Triage): ServedModel {
  const { locales, defaultLocale } = triage.model;
  const memo = new Map<string, ServedAnswer | undefined>();
  return {
    etag,
    defaultLocale,
    answer(text, locale) {
      const lang = locale?.slice(0, 2).toLowerCase();
      const key = `${lang ?? ''}\u0000${text}`;
      if (memo.has(key)) return memo.get(key);
      const decision = triage.decide(
        text,
        isLang(lang) && locales.includes(lang) ? { locale: lang } : {},
      );
      const answer =
        decision.kind === 'answer' && decision.entry !== undefined
          ? { entryId: decision.entry.id, locale: decision.locale }
          : undefined;
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(key, answer);
      return answer;
    },
  };
}
