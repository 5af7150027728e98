import { validateEvent } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import type { EventRow } from '../store/store.js';
import { type AppDeps, type AppEnv, admitSite, isObject, readJson } from './deps.js';
import { apiError } from './errors.js';

/** `POST /v1/events`: a batch of SDK events (JSON, or text/plain from `sendBeacon`). */
export function registerEventRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/v1/events', async (c) => {
    const receivedAt = deps.now();
    const parsed = await readJson(c, deps.options.maxBodyBytes);
    if (!parsed.ok) return parsed.response;
    const body = parsed.value;
    if (!isObject(body) || !Array.isArray(body.events)) {
      return apiError(c, 400, 'invalid_request', 'The body must be {"events": [...]}.', 'events');
    }
    const events: unknown[] = body.events;
    if (events.length > deps.options.maxBatchEvents) {
      return apiError(
        c,
        413,
        'too_many_events',
        `${events.length} events in one request; at most ${deps.options.maxBatchEvents}, split the batch.`,
        'events',
      );
    }
    if (events.length === 0) {
      return apiError(c, 400, 'invalid_request', 'The batch holds no events.', 'events');
    }
    const siteKey = events
      .map((e) => (isObject(e) && typeof e.siteKey === 'string' ? e.siteKey : undefined))
      .find((k) => k !== undefined);
    if (siteKey === undefined) {
      return apiError(c, 400, 'invalid_request', 'No event names its siteKey.', 'events.0.siteKey');
    }
    const site = await admitSite(c, deps, siteKey, 'siteKey');
    if (site instanceof Response) return site;

    const clientHash = c.get('clientHash');
    const rows: EventRow[] = [];
    const rejected: { index: number; code: string; field: string }[] = [];
    events.forEach((raw, index) => {
      const result = validateEvent(raw);
      if (!result.ok) {
        rejected.push({ index, code: result.code, field: result.field });
        return;
      }
      const e = result.event;
      if (e.siteKey !== site.key) {
        rejected.push({ index, code: 'invalid_field', field: 'siteKey' });
        return;
      }
      rows.push({
        id: e.id,
        siteKey: e.siteKey,
        type: e.type,
        ts: e.ts,
        receivedAt,
        sessionId: e.sessionId,
        anonymousId: e.anonymousId,
        conversationId: e.conversationId ?? null,
        userId: e.userId ?? null,
        props: e.props,
        clientHash,
      });
    });
    const { accepted, duplicates } = await deps.store.insertEvents(rows);
    return c.json({ accepted, duplicates, rejected }, 202);
  });
}
