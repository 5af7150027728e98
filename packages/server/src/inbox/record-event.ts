import { randomUUID } from 'node:crypto';
import type { EventPropsMap } from '@lotse/sdk/schema';
import type { AppDeps } from '../http/deps.js';
import type { HandoffRow } from '../store/store.js';

/** Event types the server records itself for a conversation. */
export type ServerEventType = 'agent.replied' | 'conversation.closed' | 'conversation.reopened';

/**
 * Stores an event the server itself emits for a handed-off conversation (an agent's reply, a close,
 * a reopen) in the events table, tied to the visitor's session and conversation, so the metrics
 * attach it to the handoff by `conversationId` or `ticketId`.
 */
export async function recordServerEvent<T extends ServerEventType>(
  deps: AppDeps,
  handoff: HandoffRow,
  type: T,
  props: EventPropsMap[T],
  ts: number = deps.now(),
): Promise<void> {
  const fallback = `handoff:${handoff.id}`;
  await deps.store.insertEvents([
    {
      id: randomUUID(),
      siteKey: handoff.siteKey,
      type,
      ts,
      receivedAt: ts,
      sessionId: handoff.sessionId ?? fallback,
      anonymousId: handoff.anonymousId ?? fallback,
      conversationId: handoff.conversationId,
      userId: null,
      props,
      clientHash: null,
    },
  ]);
}
