import type { ModelRegistry } from '../kb/model-registry.js';

/** What the inbox shows about a topic: its queue, name and the playbook an agent follows. */
export interface TopicInfo {
  queue: string;
  name: string;
  /** Playbook steps in the asked language, else the first language that has some. */
  playbook: readonly string[];
}

interface ModelTopics {
  etag: string;
  /** `undefined` for a model without topics (not a triage model). */
  topics: Record<string, unknown> | undefined;
}

const cache = new Map<string, ModelTopics>();

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

function topicsOf(models: ModelRegistry, siteKey: string): Record<string, unknown> | undefined {
  const model = models.get(siteKey);
  if (model === undefined) return undefined;
  let parsed = cache.get(siteKey);
  if (parsed?.etag !== model.etag) {
    let topics: Record<string, unknown> | undefined;
    try {
      const json: unknown = JSON.parse(model.json);
      const site = isRecord(json) ? json.site : undefined;
      if (isRecord(site) && isRecord(site.topics)) topics = site.topics;
    } catch {
      // A model that is not JSON is the builder's problem; the inbox still works without topics.
    }
    parsed = { etag: model.etag, topics };
    cache.set(siteKey, parsed);
  }
  return parsed.topics;
}
