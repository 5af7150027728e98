import type { Classification } from '@lotse/sdk/schema';
import type { Notifier } from '../notify/notifier.js';
import {
  createTicketId,
  createTokenNonce,
  deriveConversationToken,
  hashToken,
} from '../secrets.js';
import { addBusinessMinutes } from '../sites/business-time.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { HandoffRow, Store } from '../store/store.js';

/** What a new conversation with a person is made of, whichever channel it came in by. */
export interface CreateHandoffInput {
  /** Idempotency key: the same id returns the stored handoff. */
  id: string;
  /** SHA-256 of the request, so a replay with other content is told apart. */
  requestHash: string;
  email: string;
  message: string;
  transcript: unknown;
  classification: Classification;
  locale: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  conversationId: string | null;
  clientHash: string | null;
  userId: string | null;
}

/** What {@link createHandoff} needs of the server. */
export interface CreateHandoffDeps {
  store: Store;
  secret: Buffer;
  notifier?: Notifier | undefined;
}

/**
 * Stores a handoff with the site's response time for its level (business minutes, counted in the
 * site's hours) and tells the team about a new one; returns the stored row either way.
 */
export async function createHandoff(
  deps: CreateHandoffDeps,
  site: ResolvedSite,
  input: CreateHandoffInput,
  now: number,
): Promise<{ inserted: boolean; handoff: HandoffRow }> {
  const level = input.classification.level;
  const respondWithinMinutes = site.responseMinutes[level];
  const nonce = createTokenNonce();
  const row: HandoffRow = {
    id: input.id,
    siteKey: site.key,
    ticketId: createTicketId(),
    tokenHash: hashToken(deriveConversationToken(deps.secret, nonce)),
    tokenNonce: nonce,
    requestHash: input.requestHash,
    email: input.email,
    anonymousId: input.anonymousId,
    sessionId: input.sessionId,
    conversationId: input.conversationId,
    locale: input.locale,
    message: input.message,
    transcript: input.transcript,
    classification: input.classification,
    level,
    topic: input.classification.topic ?? null,
    status: 'open',
    createdAt: now,
    respondWithinMinutes,
    respondBy: new Date(addBusinessMinutes(now, respondWithinMinutes, site.hours)).toISOString(),
    clientHash: input.clientHash,
    userId: input.userId,
  };
  const result = await deps.store.insertHandoff(row);
  if (result.inserted) await deps.notifier?.handoffCreated(result.handoff);
  return result;
}
