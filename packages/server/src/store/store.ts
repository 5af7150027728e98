import type { BusinessHours } from '@lotse/sdk/metrics';
import type { AgentQueries } from '../agents/agent-queries.js';
import type { AuthQueries } from '../auth/auth-queries.js';
import type { ConversationToolsQueries } from '../conversation-tools/conversation-tools-queries.js';
import type { DashboardQueries } from '../dashboard/dashboard-queries.js';
import type { TeamQueries } from '../dashboard/team-queries.js';
import type { InboxQueries } from '../inbox/inbox-queries.js';
import type { IngestQueries } from '../ingest/ingest-queries.js';
import type { KbQueries } from '../kb/kb-queries.js';
import type { AttachmentQueries } from '../mail/attachment-queries.js';
import type { MailQueries } from '../mail/mail-queries.js';
import type { PrivacyQueries } from '../privacy/privacy-queries.js';
import type { ScorecardQueries } from '../scorecards/scorecard-queries.js';
import type { SiteQueries } from '../sites/site-queries.js';
import type { MetaQueries } from './meta-queries.js';

/** One stored analytics event: the validated envelope plus what the server adds. */
export interface EventRow {
  id: string;
  siteKey: string;
  type: string;
  /** Client time (epoch ms) as the SDK sent it. */
  ts: number;
  /** Server receive time (epoch ms); retention and metrics trust this one. */
  receivedAt: number;
  sessionId: string;
  anonymousId: string;
  conversationId: string | null;
  userId: string | null;
  props: unknown;
  /** Keyed hash of the client address (never the address itself). */
  clientHash: string | null;
}

/** Result of {@link Store.insertEvents}: new rows versus ids already stored. */
export interface InsertEventsResult {
  accepted: number;
  duplicates: number;
  /**
   * Indexes (into the rows given) of new events refused because their session already holds
   * {@link SESSION_EVENT_CAP} events; absent when there are none.
   */
  overCap?: number[];
}

/**
 * Events stored per session at most (by default). A session is one page visit's worth of widget
 * use: a person produces a few hundred events at most, while a client that writes into one session
 * without end would otherwise grow it without bound. New events of a full session are refused
 * (`session_full` in the reply's `rejected`), never stored, and so never counted.
 */
export const SESSION_EVENT_CAP = 100_000;

/** The limits both stores take. */
export interface StoreLimits {
  /** Events stored per session at most; later new ones are refused. @default SESSION_EVENT_CAP */
  maxSessionEvents?: number;
}

/** An insert's result from its new rows and the indexes of rows refused for a full session. */
export function insertResult(
  rows: number,
  accepted: number,
  overCap: number[],
): InsertEventsResult {
  return overCap.length === 0
    ? { accepted, duplicates: rows - accepted }
    : { accepted, duplicates: rows - accepted - overCap.length, overCap };
}

/** Conversation state of a handoff. */
export type HandoffStatus = 'open' | 'closed';

/** One stored handoff (a conversation with a person). */
export interface HandoffRow {
  id: string;
  siteKey: string;
  ticketId: string;
  /** SHA-256 of the conversation token, base64url. */
  tokenHash: string;
  /** Random input the token is derived from with the server secret (not the token). */
  tokenNonce: string;
  /** SHA-256 of the request body, so a replay with other content is refused. */
  requestHash: string;
  email: string;
  anonymousId: string | null;
  sessionId: string | null;
  conversationId: string | null;
  locale: string | null;
  message: string;
  transcript: unknown;
  classification: unknown;
  level: number;
  topic: string | null;
  status: HandoffStatus;
  createdAt: number;
  respondWithinMinutes: number;
  /** ISO time by which the site promised an answer. */
  respondBy: string;
  clientHash: string | null;
  /** The site's user id when the visitor was signed in (a verified `identify`). */
  userId: string | null;
}

/** Who wrote a conversation message. */
export type MessageAuthor = 'visitor' | 'agent';

/** One message of a conversation after the handoff. */
export interface MessageRow {
  id: string;
  handoffId: string;
  from: MessageAuthor;
  text: string;
  ts: number;
  /**
   * A visitor's message that only thanks or says goodbye ("Danke, hat geklappt!", as the served
   * triage decides `acknowledge`): it asks nothing, so nobody waits on it.
   */
  thanksOnly?: boolean;
}

/** Role of an agent account. */
/**
 * `editor`: an agent who may also edit and publish the knowledge base; `reviewer`: an agent who may
 * also review colleagues' conversations with the scorecards; `admin` (the owner) may do everything.
 */
export type AgentRole = 'admin' | 'editor' | 'reviewer' | 'agent';

/** Reads a stored role; anything unknown is the least privileged. */
export function agentRole(value: unknown): AgentRole {
  return value === 'admin' || value === 'editor' || value === 'reviewer' ? value : 'agent';
}

/** An agent account of the inbox. */
export interface AgentRow {
  id: string;
  email: string;
  passwordHash: string;
  role: AgentRole;
  createdAt: number;
  /** When an admin deactivated the account: it cannot sign in and has no session. Absent: active. */
  deactivatedAt?: number;
}

/** Picks one visitor for export or deletion. */
export type VisitorQuery = { email: string } | { anonymousId: string };

/** How many rows {@link Store.deleteVisitor} removed. */
export interface DeleteVisitorResult {
  events: number;
  handoffs: number;
  messages: number;
  /** The agents' internal notes on those handoffs. */
  notes: number;
  /** Stored mail from or to the visitor's address (deletion by e-mail only). */
  mails: number;
}

/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateRule {
  capacity: number;
  refillPerSecond: number;
}

/** Outcome of taking one token; `retryAfterMs` is 0 when allowed. */
export interface TakeTokenResult {
  allowed: boolean;
  retryAfterMs: number;
}

/** The event props the metrics read (`@lotse/sdk/metrics` and the dashboard). */
export const METRIC_PROPS = [
  'ticketId',
  'topic',
  'level',
  'helpful',
  'channel',
  'score',
  'conversationId',
  'text',
  'entryId',
  'kbVersion',
  'locale',
] as const;

/**
 * One conversation as `deriveConversations` of `@lotse/sdk/metrics` derived it from its session's
 * events, stored for the dashboard. `outcome` `open` means still active after the session's last
 * event: the reader decides open or abandoned by its own `now`.
 */
export interface StoredConversation {
  siteKey: string;
  sessionId: string;
  /** Position within the session (0 = first). */
  seq: number;
  id: string;
  contact: string;
  topic: string | null;
  level: number | null;
  startedAt: number;
  lastActivityAt: number;
  outcome: 'self_service' | 'handoff' | 'abandoned' | 'open';
  endedAt: number | null;
  handoffAt: number | null;
  handoffLevel: number | null;
  ticketId: string | null;
  firstReplyAt: number | null;
  closedAt: number | null;
  reopened: boolean;
  /** Channel of the first question (`widget` when it named none). */
  channel: string;
  /** First response time in business hours (ms), under the hours named by `hoursKey`. */
  frtBusiness: number | null;
  /** The business hours `frtBusiness` and `day` were computed with (JSON), or '' for none. */
  hoursKey: string;
  /** Local day of `startedAt` in the site's time zone (`YYYY-MM-DD`). */
  day: string;
}

/** A score, unanswered question or rating event, reduced to what the dashboard reads. */
export interface MetricFact {
  siteKey: string;
  eventId: string;
  sessionId: string;
  type: string;
  ts: number;
  score: number | null;
  conversationId: string | null;
  topic: string | null;
  text: string | null;
  /** `text` normalised for grouping. */
  norm: string | null;
  entryId: string | null;
  helpful: boolean | null;
  /** The knowledge-base version an answer was shown or rated under. */
  kbVersion: number | null;
  /** The language of an unanswered question. */
  locale: string | null;
}

/** A read-only query in the store's own dialect (`?` on SQLite, `$1::type` on PostgreSQL). */
export interface AggregateQuery {
  text: string;
  params: unknown[];
}

/** Options of {@link Store.deriveDirty}. */
export interface DeriveDirtyRequest {
  /** The sites whose sessions to derive, with their business hours. */
  sites: ReadonlyMap<string, BusinessHours | undefined>;
  /** Stop after finishing this many sessions. */
  maxSessions: number;
  /** Checked between chunks: true ends the run early. */
  stopped?: () => boolean;
}

/**
 * The one storage interface of the server; SQLite and PostgreSQL implement it and pass the same suite.
 * Everything a second instance would need (idempotency keys, rate counters, salts) lives here. The
 * queries both dialects share are each feature's (`createQueries`, queries.ts); the methods below
 * are each dialect's own.
 */
export interface Store
  extends IngestQueries,
    InboxQueries,
    ConversationToolsQueries,
    SiteQueries,
    AgentQueries,
    AuthQueries,
    DashboardQueries,
    PrivacyQueries,
    KbQueries,
    MailQueries,
    AttachmentQueries,
    ScorecardQueries,
    MetaQueries,
    TeamQueries {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations; returns how many ran. */
  migrate(): Promise<number>;
  /** Inserts a batch in one transaction; ids already stored count as duplicates. */
  insertEvents(rows: readonly EventRow[]): Promise<InsertEventsResult>;
  /** The sites that have sessions to derive again. */
  dirtySites(): Promise<string[]>;
  /**
   * Folds the new events of the sessions marked dirty into their stored conversations and facts
   * (store/derive-sessions.ts), in chunks of bounded cost; returns how many sessions it finished.
   */
  deriveDirty(request: DeriveDirtyRequest): Promise<number>;
  /** How many sessions wait to be derived again. */
  countDirtySessions(siteKey?: string): Promise<number>;
  /** Stored conversations of a site that started in [from, to). */
  listStoredConversations(siteKey: string, from: number, to: number): Promise<StoredConversation[]>;
  /** Stored metric facts of a site in [from, to), by ts and event id. */
  listMetricFacts(siteKey: string, from: number, to: number): Promise<MetricFact[]>;
  /**
   * Runs read-only aggregate queries off the request path and returns their rows as value arrays,
   * group by group: on SQLite each group on one of the reader threads, on PostgreSQL every query on
   * its own connection with room to sort (the dashboard's, dashboard/summary-queries.ts).
   */
  runAggregates(groups: readonly (readonly AggregateQuery[])[]): Promise<unknown[][][][]>;
  /** Takes one token from the bucket under `key`. */
  takeToken(key: string, rule: RateRule, now: number): Promise<TakeTokenResult>;
  /**
   * Puts back a token taken from the bucket under `key` (at most up to its capacity): an attempt
   * that turned out not to count (a successful sign-in).
   */
  giveBackToken(key: string, rule: RateRule, now: number): Promise<void>;
  /** Deletes events received before `cutoff` (epoch ms) and idle rate buckets; returns events deleted. */
  deleteEventsBefore(cutoff: number): Promise<number>;
  deleteVisitor(query: VisitorQuery): Promise<DeleteVisitorResult>;
  close(): Promise<void>;
}
