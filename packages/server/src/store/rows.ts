// Rows as both stores read them back: the same columns, except that SQLite keeps JSON as text where
// PostgreSQL hands back parsed jsonb, so each store passes its own `json` reader.
import type { InvitationRow, SessionRow } from '../auth/auth-queries.js';
import type { InboxHandoff } from '../inbox/inbox-queries.js';
import type { SiteRow } from '../sites/site-queries.js';
import {
  type AgentRow,
  agentRole,
  type EventRow,
  type HandoffRow,
  type MessageRow,
} from './store.js';

/**
 * `items` in runs of `size`, each a statement's worth: a bound on its parameters, well under
 * SQLite's limit (32 766) and PostgreSQL's (65 535).
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One result row, by column name. */
export type Row = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

/** The row readers of a store whose JSON columns come back as `json` turns them into values. */
export function rowReaders(json: (column: unknown) => unknown) {
  const handoffFromRow = (r: Row): HandoffRow => ({
    id: str(r.id),
    siteKey: str(r.site_key),
    ticketId: str(r.ticket_id),
    tokenHash: str(r.token_hash),
    tokenNonce: str(r.token_nonce),
    requestHash: str(r.request_hash),
    email: str(r.email),
    anonymousId: strOrNull(r.anonymous_id),
    sessionId: strOrNull(r.session_id),
    conversationId: strOrNull(r.conversation_id),
    locale: strOrNull(r.locale),
    message: str(r.message),
    transcript: json(r.transcript),
    classification: json(r.classification),
    level: Number(r.level),
    topic: strOrNull(r.topic),
    status: r.status === 'closed' ? 'closed' : 'open',
    createdAt: Number(r.created_at),
    respondWithinMinutes: Number(r.respond_within_minutes),
    respondBy: str(r.respond_by),
    clientHash: strOrNull(r.client_hash),
    userId: strOrNull(r.user_id),
  });
  const agentFromRow = (r: Row): AgentRow => ({
    id: str(r.id),
    email: str(r.email),
    passwordHash: str(r.password_hash),
    role: agentRole(r.role),
    createdAt: Number(r.created_at),
    ...(r.deactivated_at !== null &&
      r.deactivated_at !== undefined && { deactivatedAt: Number(r.deactivated_at) }),
  });
  return {
    eventFromRow: (r: Row): EventRow => ({
      id: str(r.id),
      siteKey: str(r.site_key),
      type: str(r.type),
      ts: Number(r.ts),
      receivedAt: Number(r.received_at),
      sessionId: str(r.session_id),
      anonymousId: str(r.anonymous_id),
      conversationId: strOrNull(r.conversation_id),
      userId: strOrNull(r.user_id),
      props: json(r.props),
      clientHash: strOrNull(r.client_hash),
    }),
    handoffFromRow,
    inboxFromRow: (r: Row): InboxHandoff => ({
      ...handoffFromRow(r),
      assignee: strOrNull(r.assignee),
      firstReplyAt: numOrNull(r.first_reply_at),
      closedAt: numOrNull(r.closed_at),
    }),
    agentFromRow,
    invitationFromRow: (r: Row): InvitationRow => ({
      tokenHash: str(r.token_hash),
      email: str(r.email),
      role: agentRole(r.role),
      kind: r.kind === 'reset' ? 'reset' : 'invite',
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
      usedAt: numOrNull(r.used_at),
    }),
    messageFromRow: (r: Row): MessageRow => ({
      id: str(r.id),
      handoffId: str(r.handoff_id),
      from: r.author === 'agent' ? 'agent' : 'visitor',
      text: str(r.text),
      ts: Number(r.ts),
      ...(Number(r.thanks_only) === 1 && { thanksOnly: true }),
    }),
    /** A session joined with its agent (`s.created_at as s_created, …, a.*`). */
    sessionFromRow: (r: Row): { session: SessionRow; agent: AgentRow } => ({
      session: {
        idHash: str(r.id_hash),
        agentId: str(r.agent_id),
        csrf: str(r.csrf),
        createdAt: Number(r.s_created),
        expiresAt: Number(r.expires_at),
      },
      agent: agentFromRow(r),
    }),
    siteFromRow: (r: Row): SiteRow => ({
      key: str(r.key),
      settings: json(r.settings),
      updatedAt: Number(r.updated_at),
    }),
  };
}
