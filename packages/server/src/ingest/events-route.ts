import {
  CONVERSATION_EVENT_TYPES,
  type EventType,
  type LotseEvent,
  SERVER_EVENT_TYPES,
  validateEvent,
} from '@lotse/sdk/schema';
import type { Context, Hono } from 'hono';
import { type AppDeps, type AppEnv, admitSite, isObject, readJson } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import type { EventRow } from '../store/store.js';

/** The stored row of a validated event. */
export function eventRowOf(e: LotseEvent, receivedAt: number, clientHash: string | null): EventRow {
  return {
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
  };
}

const serverOnly: ReadonlySet<EventType> = new Set(SERVER_EVENT_TYPES);
const conversationOnly: ReadonlySet<EventType> = new Set(CONVERSATION_EVENT_TYPES);

/**
 * Why the public route refuses an event of this type, or undefined when anyone with the site key
 * may send it: the server's own types are written only by the server, and ratings of a conversation
 * count only from its token's holder (`POST /v1/conversations/:token/events`).
 */
export function refusalOfType(
  type: EventType,
): 'server_only_type' | 'conversation_token_required' | undefined {
  if (serverOnly.has(type)) return 'server_only_type';
  if (conversationOnly.has(type)) return 'conversation_token_required';
  return undefined;
}

/**
 * `POST /v1/events`: a batch of SDK events (JSON, or text/plain from `sendBeacon`) of the public
 * types; events of other types are listed in `rejected` and never stored.
 */
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

    return storeEventBatch(c, deps, events, receivedAt, (e) => {
      if (e.siteKey !== site.key) return { code: 'invalid_field', field: 'siteKey' };
      const refusal = refusalOfType(e.type);
      return refusal === undefined ? undefined : { code: refusal, field: 'type' };
    });
  });
}

/** Why one valid event of a batch is not stored, or undefined to store it. */
export type EventRefusal = (e: LotseEvent) => { code: string; field: string } | undefined;

/**
 * Validates each event of a batch on its own, stores those `refuse` lets through (under the id
 * `idOf` gives, by default its own) and answers 202 with the counts and every rejection by index,
 * including events of a full session (a session holding SESSION_EVENT_CAP events stores no more,
 * store/store.ts).
 */
export async function storeEventBatch(
  c: Context<AppEnv>,
  deps: AppDeps,
  events: readonly unknown[],
  receivedAt: number,
  refuse: EventRefusal,
  idOf: (e: LotseEvent) => string = (e) => e.id,
): Promise<Response> {
  const clientHash = c.get('clientHash');
  const rows: EventRow[] = [];
  const rowIndex: number[] = [];
  const rejected: { index: number; code: string; field: string }[] = [];
  events.forEach((raw, index) => {
    const result = validateEvent(raw);
    if (!result.ok) {
      rejected.push({ index, code: result.code, field: result.field });
      return;
    }
    const refusal = refuse(result.event);
    if (refusal !== undefined) {
      rejected.push({ index, ...refusal });
      return;
    }
    rowIndex.push(index);
    rows.push({ ...eventRowOf(result.event, receivedAt, clientHash), id: idOf(result.event) });
  });
  const { accepted, duplicates, overCap = [] } = await deps.store.insertEvents(rows);
  for (const i of overCap)
    rejected.push({ index: rowIndex[i]!, code: 'session_full', field: 'sessionId' });
  rejected.sort((a, b) => a.index - b.index);
  return c.json({ accepted, duplicates, rejected }, 202);
}
