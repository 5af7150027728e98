import { createTriage, type Triage } from '@lotse/triage';
import type { ModelRegistry } from './model-registry.js';

const cache = new Map<string, { etag: string; triage: Triage | undefined }>();

/**
 * The triage of a site's served model, to decide questions on the server (suggesting the entry of
 * a solved question, closing content gaps). Loaded once per model (a few hundred ms for the demo),
 * never per request; undefined without a model or when it is not a triage model.
 */
export function servedTriage(models: ModelRegistry, siteKey: string): Triage | undefined {
  const model = models.get(siteKey);
  if (model === undefined) return undefined;
  const cached = cache.get(siteKey);
  if (cached?.etag === model.etag) return cached.triage;
  let triage: Triage | undefined;
  try {
    triage = createTriage(JSON.parse(model.json));
  } catch {
    // A stand-in model (tests) or a corrupt one: no server-side decisions.
    triage = undefined;
  }
  cache.set(siteKey, { etag: model.etag, triage });
  return triage;
}
