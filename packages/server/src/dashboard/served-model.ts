// The model a site serves, loaded for the dashboard's questions (is this content gap answered now?).
import { createTriage, isLang, type Lang, type Triage } from '@lotse/triage';
import type { ModelRegistry } from '../kb/model-registry.js';
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

interface Loaded {
  etag: string;
  model: ServedModel | undefined;
}

// Per registry (one per server), per site: the last served model loaded. Loading parses megabytes
// of JSON and builds the classifier (150–300 ms for the 1.7 MB demo model, measured), so it happens
// once per ETag, never per request.
const loaded = new WeakMap<ModelRegistry, Map<string, Loaded>>();

// Sites whose model stays loaded, most recently asked last: the demo model takes 7 MB of heap.
const LOADED_SITES = 16;

/**
 * The model a site serves now, loaded once per ETag; undefined when it serves none, or when the
 * served file is no triage model (logged once per ETag).
 */
export function servedModel(
  models: ModelRegistry,
  siteKey: string,
  logger: Logger,
): ServedModel | undefined {
  const compiled = models.get(siteKey);
  if (compiled === undefined) return undefined;
  let sites = loaded.get(models);
  if (sites === undefined) {
    sites = new Map();
    loaded.set(models, sites);
  }
  const hit = sites.get(siteKey);
  sites.delete(siteKey);
  if (hit?.etag === compiled.etag) {
    sites.set(siteKey, hit);
    return hit.model;
  }
  let model: ServedModel | undefined;
  try {
    // createTriage checks the parsed file with checkTriageModel and names the fault if it fails.
    model = wrap(compiled.etag, createTriage(JSON.parse(compiled.json)));
  } catch (error) {
    logger.warn(
      `dashboard: the served model of site "${siteKey}" (version ${compiled.version}) cannot be loaded, so no content gap shows as closed: ${(error as Error).message}`,
    );
  }
  sites.set(siteKey, { etag: compiled.etag, model });
  if (sites.size > LOADED_SITES) sites.delete(sites.keys().next().value as string);
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
