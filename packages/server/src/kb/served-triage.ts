import { createTriage, type Triage } from '@lotse/triage';
import type { Logger } from '../options.js';
import type { ModelRegistry } from './model-registry.js';

interface Loaded {
  etag: string;
  triage: Triage | undefined;
}

// Per registry (one per server), per site: the last served model loaded. Loading parses megabytes
// of JSON and builds the classifier (150–300 ms for the demo model, measured), so it happens
// once per ETag, never per request.
const loaded = new WeakMap<ModelRegistry, Map<string, Loaded>>();

// Sites whose model stays loaded, most recently asked last: the demo model takes 7 MB of heap.
const LOADED_SITES = 16;

/**
 * The triage of a site's served model, to decide questions on the server (the entry a solved
 * question belongs to, whether a content gap is answered now), loaded once per ETag. Undefined when
 * the site serves no model, or when the served file is no triage model (logged once per ETag).
 */
export function servedTriage(
  models: ModelRegistry,
  siteKey: string,
  logger?: Logger,
): { etag: string; triage: Triage } | undefined {
  const compiled = models.get(siteKey);
  if (compiled === undefined) return undefined;
  let sites = loaded.get(models);
  if (sites === undefined) {
    sites = new Map();
    loaded.set(models, sites);
  }
  let hit = sites.get(siteKey);
  sites.delete(siteKey);
  if (hit?.etag !== compiled.etag) {
    let triage: Triage | undefined;
    try {
      // createTriage checks the parsed file with checkTriageModel and names the fault if it fails.
      triage = createTriage(JSON.parse(compiled.json));
    } catch (error) {
      logger?.warn(
        `the served model of site "${siteKey}" (version ${compiled.version}) cannot be loaded for decisions on the server: ${(error as Error).message}`,
      );
    }
    hit = { etag: compiled.etag, triage };
  }
  sites.set(siteKey, hit);
  if (sites.size > LOADED_SITES) sites.delete(sites.keys().next().value as string);
  return hit.triage === undefined ? undefined : { etag: hit.etag, triage: hit.triage };
}

// Thanks in German and English, as triage's chat-end words have them ("Danke", "Dankeschön",
// "vielen Dank", "thank you", "thx").
const THANKS = /(^|[^\p{L}])(dank\p{L}*|merci|thanks?|thx|ty|cheers)(?!\p{L})/iu;

/**
 * Whether a customer's message after the handoff only thanks: the served triage takes it for the
 * end of a chat (`acknowledge`) and it says thanks ("Danke, hat geklappt!"). A bare "Ok" or
 * "Verstanden" may be the yes to an agent's question, so it counts as a message that needs
 * someone; so does every message when no model decides, or deciding fails.
 * `served` is asked only for a message that says thanks: loading a site's model takes 150–300 ms,
 * which no other message should wait for.
 */
export function onlyThanks(served: () => ReturnType<typeof servedTriage>, text: string): boolean {
  if (!THANKS.test(text)) return false;
  try {
    return served()?.triage.decide(text).kind === 'acknowledge';
  } catch {
    return false;
  }
}
