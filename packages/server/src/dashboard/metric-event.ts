import type { MetricEvent } from '@lotse/sdk/metrics';
import type { EventRow } from '../store/store.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored event in the shape `@lotse/sdk/metrics` reads. */
export function toMetricEvent(e: EventRow): MetricEvent {
  const m: MetricEvent = {
    type: e.type,
    ts: e.ts,
    sessionId: e.sessionId,
    anonymousId: e.anonymousId,
  };
  if (e.userId !== null) m.userId = e.userId;
  if (e.conversationId !== null) m.conversationId = e.conversationId;
  if (isRecord(e.props)) m.props = e.props;
  return m;
}
