import { randomUUID } from 'node:crypto';
import type { EventPropsMap } from '@lotse/sdk/schema';
import type { AppDeps } from '../http/deps.js';
import type { Notifier } from '../notify/notifier.js';
import type { HandoffRow, MessageRow } from '../store/store.js';
import { waitingSinceOf } from './inbox-format.js';

/** Event types the server records itself for a conversation. */
export type ServerEventType = 'agent.replied' | 'conversation.closed' | 'conversation.reopened';

/**
 * Stores an event the server itself emits for a handed-off conversation (an agent's reply, a close,
 * a reopen) in the events table, tied to the visitor's session and conversation, so the metrics
 * attach it to the handoff by `conversationId` or `ticketId`.
 */
export async function recordServerEvent<T extends ServerEventType>(
  deps: Pick<AppDeps, 'store' | 'now'>,
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

/**
 * Opens a closed conversation again, by an agent or by the visitor writing to it (a message or an
 * e-mail), so that it is back in the inbox's open list; records the reopen for the metrics. False
 * when it was not closed.
 */
export async function reopenConversation(
  deps: Pick<AppDeps, 'store' | 'now'> & { live?: AppDeps['live'] | undefined },
  handoff: HandoffRow,
  by: 'agent' | 'visitor',
  now: number = deps.now(),
): Promise<boolean> {
  // Conditional, so that of a close racing a message, or two messages at once, one reopen counts.
  const patch = { status: 'open', closedAt: null } as const;
  if (!(await deps.store.updateHandoff(handoff.id, patch, { status: 'closed' }))) return false;
  deps.live?.publish({ kind: 'status', handoffId: handoff.id });
  await recordServerEvent(
    deps,
    handoff,
    'conversation.reopened',
    { ticketId: handoff.ticketId, by },
    now,
  );
  return true;
}

/**
 * What follows a visitor's message (chat or mail) as `insertMessage` stored it. A closed
 * conversation is opened again: by a new message, or by one stored before (a retry, a mail decided
 * again after a crash) only if it was written after the close (its first reopen failed), never by a
 * replay of a message the agent had already seen when closing. The team is told when the message
 * needs someone again: it reopened the conversation, or it is the first since an agent's reply (a
 * customer who writes three lines in a row sends one mail). A message that only thanks does neither.
 */
export async function visitorFollowedUp(
  deps: Parameters<typeof reopenConversation>[0] & { notifier?: Notifier | undefined },
  handoff: HandoffRow,
  stored: { inserted: boolean; message: MessageRow },
  now?: number,
): Promise<void> {
  const { inserted, message } = stored;
  if (message.thanksOnly === true) return;
  const closedAt = inserted ? null : (await deps.store.getHandoff(handoff.id))?.closedAt;
  const reopened =
    (inserted || (closedAt != null && message.ts >= closedAt)) &&
    (await reopenConversation(deps, handoff, 'visitor', now));
  if (deps.notifier === undefined || !(reopened || inserted)) return;
  const startsWait =
    reopened || waitingSinceOf(await deps.store.listMessages(handoff.id)) === message.ts;
  if (startsWait) await deps.notifier.visitorWrote(handoff, message.text);
}
