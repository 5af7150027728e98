import type { ModelRegistry } from '../kb/model-registry.js';

/** What the inbox shows about a topic: its queue, name and the playbook an agent follows. */
export interface TopicInfo {
  queue: string;
  name: string;
  /** Playbook steps in the asked language, else the first language that has some. */
  playbook: readonly string[];
}

/** What the agents' mails take from a site's knowledge base: its language, topic and level names. */
export interface SiteLabels {
  /** The knowledge base's `defaultLocale` when it is `de` or `en`. */
  locale: 'de' | 'en' | undefined;
  /** A topic's name in `locale`, else in the first language that has one. */
  topicName(topic: string, locale: string): string | undefined;
  /** A level's name ("Service-Team") in `locale`, else in the first language that has one. */
  levelName(level: number, locale: string): string | undefined;
}

interface ModelSite {
  etag: string;
  /** `undefined` for a model without a `site` block (not a triage model). */
  site: Record<string, unknown> | undefined;
}

const cache = new Map<string, ModelSite>();

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function localized(value: unknown, locale: string): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  const own = value[locale];
  if (typeof own === 'string') return own;
  return Object.values(value).find((v): v is string => typeof v === 'string');
}

function steps(value: unknown, locale: string): readonly string[] {
  if (!isRecord(value)) return [];
  const pick = Array.isArray(value[locale])
    ? value[locale]
    : Object.values(value).find((v) => Array.isArray(v));
  return Array.isArray(pick) ? pick.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Reads a topic's queue, name and playbook from the site's compiled model (`TriageModel.site.topics`
 * of `@lotse/triage`); without a model or topic the queue is the topic id and there is no playbook.
 */
export function topicInfo(
  models: ModelRegistry,
  siteKey: string,
  topic: string | null,
  locale: string,
): TopicInfo {
  const fallback: TopicInfo = { queue: topic ?? '–', name: topic ?? '–', playbook: [] };
  if (topic === null) return fallback;
  const config = topicsOf(models, siteKey)?.[topic];
  if (!isRecord(config)) return fallback;
  return {
    queue: typeof config.queue === 'string' ? config.queue : topic,
    name: localized(config.name, locale) ?? topic,
    playbook: steps(config.playbook, locale),
  };
}

/** The topic ids of a site's compiled model; `undefined` while the site has no model. */
export function topicIds(models: ModelRegistry, siteKey: string): string[] | undefined {
  const topics = topicsOf(models, siteKey);
  return topics === undefined ? undefined : Object.keys(topics);
}

/** The language, topic and level names of a site's compiled model; `undefined` while it has none. */
export function siteLabels(models: ModelRegistry, siteKey: string): SiteLabels | undefined {
  const site = siteOf(models, siteKey);
  if (site === undefined) return undefined;
  const topics = isRecord(site.topics) ? site.topics : {};
  const levels = isRecord(site.levels) ? site.levels : {};
  return {
    locale:
      site.defaultLocale === 'de' || site.defaultLocale === 'en' ? site.defaultLocale : undefined,
    topicName(topic, locale) {
      const config = Object.hasOwn(topics, topic) ? topics[topic] : undefined;
      return isRecord(config) ? localized(config.name, locale) : undefined;
    },
    levelName: (level, locale) => localized(levels[String(level)], locale),
  };
}

function topicsOf(models: ModelRegistry, siteKey: string): Record<string, unknown> | undefined {
  const topics = siteOf(models, siteKey)?.topics;
  return isRecord(topics) ? topics : undefined;
}

/** The `site` block of a site's served model (`TriageModel.site` of `@lotse/triage`), parsed once per version. */
function siteOf(models: ModelRegistry, siteKey: string): Record<string, unknown> | undefined {
  const model = models.get(siteKey);
  if (model === undefined) return undefined;
  let parsed = cache.get(siteKey);
  if (parsed?.etag !== model.etag) {
    let site: Record<string, unknown> | undefined;
    try {
      const json: unknown = JSON.parse(model.json);
      if (isRecord(json) && isRecord(json.site)) site = json.site;
    } catch {
      // A model that is not JSON is the builder's problem; the inbox still works without topics.
    }
    parsed = { etag: model.etag, site };
    cache.set(siteKey, parsed);
  }
  return parsed.site;
}
