// The tables as the typed query layer (Kysely: the features' *-queries.ts, store/derive-queries.ts)
// sees them: written once for both databases. Epoch milliseconds are int8 in PostgreSQL (read back as numbers, postgres-store.ts) and
// integer in SQLite; JSON columns are jsonb in PostgreSQL and text in SQLite.
import type { ColumnType } from 'kysely';

/**
 * A JSON column, written and read through the dialect's {@link JsonCodec}: SQLite stores the text,
 * PostgreSQL's driver serialises and parses jsonb itself.
 */
export type JsonColumn = ColumnType<unknown, unknown, unknown>;

/** How a dialect writes a value into a JSON column and reads it back. */
export interface JsonCodec {
  write(value: unknown): unknown;
  read(column: unknown): unknown;
}

export interface EventsTable {
  id: string;
  site_key: string;
  type: string;
  ts: number;
  received_at: number;
  session_id: string;
  anonymous_id: string;
  conversation_id: string | null;
  user_id: string | null;
  props: JsonColumn;
  client_hash: string | null;
}

export interface HandoffsTable {
  id: string;
  site_key: string;
  ticket_id: string;
  token_hash: string;
  token_nonce: string;
  request_hash: string;
  email: string;
  /** `email` lower-cased, for look-ups by visitor. */
  email_key: string;
  anonymous_id: string | null;
  session_id: string | null;
  conversation_id: string | null;
  locale: string | null;
  message: string;
  transcript: JsonColumn;
  classification: JsonColumn;
  level: number;
  topic: string | null;
  status: string;
  created_at: number;
  respond_within_minutes: number;
  respond_by: string;
  client_hash: string | null;
  user_id: string | null;
  assignee: ColumnType<string | null, string | null | undefined, string | null>;
  first_reply_at: ColumnType<number | null, number | null | undefined, number | null>;
  closed_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Active time of the conversation's agent (ms), kept by store/handoff-figures.ts. */
  active_ms: ColumnType<number, number | undefined, number>;
  /** Playbook steps ticked, bit `step` set for each (store/handoff-figures.ts). */
  ticked_mask: ColumnType<number, number | undefined, number>;
  /** When the same visitor next handed off on the same topic, or null (store/handoff-figures.ts). */
  next_contact_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 once the conversation was reopened after this handoff (store/handoff-figures.ts), else 0. */
  reopened: ColumnType<number, number | undefined, number>;
}

export interface MessagesTable {
  id: string;
  handoff_id: string;
  author: string;
  text: string;
  ts: number;
  /** 1 when a visitor's message only thanks or says goodbye (migration 21). */
  thanks_only: ColumnType<number, number | undefined, number>;
}

/** An agent's internal note on a conversation (never shown to the visitor). */
export interface NotesTable {
  id: string;
  handoff_id: string;
  agent_id: string;
  text: string;
  ts: number;
}

/** A conversation's free tags, trimmed and lower-cased. */
export interface ConversationTagsTable {
  handoff_id: string;
  tag: string;
}

export interface SitesTable {
  key: string;
  settings: JsonColumn;
  updated_at: number;
}

export interface AgentsTable {
  id: string;
  /** Lower-cased. */
  email: string;
  password_hash: string;
  role: string;
  created_at: number;
  /** When an admin deactivated the account (migration 20); null while it may sign in. */
  deactivated_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AgentSessionsTable {
  id_hash: string;
  agent_id: string;
  csrf: string;
  created_at: number;
  expires_at: number;
}

export interface InvitationsTable {
  token_hash: string;
  /** Lower-cased. */
  email: string;
  role: string;
  kind: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** A stored conversation (see `StoredConversation` in store.ts). */
export interface ConversationsDerivedTable {
  site_key: string;
  session_id: string;
  seq: number;
  id: string;
  contact: string;
  topic: string | null;
  level: number | null;
  started_at: number;
  last_activity_at: number;
  outcome: string;
  ended_at: number | null;
  handoff_at: number | null;
  handoff_level: number | null;
  ticket_id: string | null;
  first_reply_at: number | null;
  closed_at: number | null;
  /** 0 or 1. */
  reopened: number;
  channel: string;
  frt_business: number | null;
  hours_key: string;
  day: string;
  next_topic_at: ColumnType<number | null, number | null | undefined, number | null>;
  next_level_at: ColumnType<number | null, number | null | undefined, number | null>;
  next_channel_at: ColumnType<number | null, number | null | undefined, number | null>;
  next_level_channel_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A score, unanswered question or rating event (see `MetricFact` in store.ts). */
export interface MetricFactsTable {
  site_key: string;
  event_id: string;
  session_id: string;
  type: string;
  ts: number;
  score: number | null;
  conversation_id: string | null;
  topic: string | null;
  text: string | null;
  norm: string | null;
  entry_id: string | null;
  /** 0, 1 or null. */
  helpful: number | null;
  kb_version: number | null;
  locale: string | null;
}

/**
 * A session to derive again (one row per stored batch, merged when taken): from its earliest new
 * event on, or from scratch when `low_ts` is null.
 */
export interface DeriveMarksTable {
  id: ColumnType<number, never, never>;
  site_key: string;
  session_id: string;
  low_ts: number | null;
  low_id: string | null;
}

/** A session's running summary (`FoldState`, session-fold.ts), as JSON. */
export interface DeriveStateTable {
  site_key: string;
  session_id: string;
  state: JsonColumn;
}

/** Where later events of a session attach: `c:<conversation id>` or `t:<ticket>` → seq. */
export interface DeriveLinksTable {
  site_key: string;
  session_id: string;
  key: string;
  seq: number;
}

/** Events stored per session, for the per-session cap. */
export interface SessionSizesTable {
  site_key: string;
  session_id: string;
  events: number;
}

/** A token bucket shared by server instances (PostgreSQL; SQLite keeps its buckets in memory). */
export interface RateBucketsTable {
  key: string;
  tokens: number;
  updated_at: number;
  allowed: boolean | number;
  /** Tokens its last statement granted: to the takes it joined, then any taken ahead (token-bucket.ts). */
  granted: ColumnType<number, number | undefined, number>;
}

/** The versions applied (migrations.ts). */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** Published versions of a site's knowledge base (src/kb/). JSON is kept as text in both dialects. */
export interface KbVersionsTable {
  site_key: string;
  version: number;
  created_at: number;
  /** E-mail of the publishing agent; null for an import from the site's folder. */
  author: string | null;
  message: string;
  /** `KbSource` as JSON text. */
  source: string;
  kb_hash: string;
  /** The compiled model's JSON text, as served. */
  model: string;
  checks_total: number;
  /** `FailedCheck[]` as JSON text. */
  checks_failed: string;
  override_reason: string | null;
  restored_from: number | null;
  imported_from: string | null;
  import_hash: string | null;
}

/** Changed files of a site's working copy; `text` null = deleted. */
export interface KbDraftsTable {
  site_key: string;
  path: string;
  text: string | null;
  hash: string;
  updated_by: string;
  updated_at: number;
}

/** Every table of the store, as the query layer sees it. */
/** An agent's saved inbox filter (the query string of `/inbox/`). */
export interface SavedViewsTable {
  id: string;
  agent_id: string;
  name: string;
  query: string;
  created_at: number;
}

/** A reply snippet the team writes for a site (canned replies beside the knowledge-base answers). */
export interface SnippetsTable {
  id: string;
  site_key: string;
  title: string;
  text: string;
  /** `de`, `en`, … or null for any language. */
  locale: string | null;
  updated_by: string;
  updated_at: number;
}

/** A playbook step an agent ticked on a conversation: step index and its text at that time. */
export interface PlaybookTicksTable {
  handoff_id: string;
  step: number;
  step_text: string;
  agent_id: string;
  ts: number;
}

/** When an agent last had a conversation open (collision warnings). */
export interface ConversationPresenceTable {
  handoff_id: string;
  agent_id: string;
  seen_at: number;
}

/** An owner's coaching scorecard; `criteria` is JSON, `site_key`/`topic` null mean "all". */
export interface ScorecardsTable {
  id: string;
  site_key: string | null;
  name: string;
  topic: string | null;
  criteria: string;
  /** Closed conversations to review per agent and ISO week (the column defaults to 5). */
  sample_size: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: number;
  archived_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A reviewer's scoring of a closed conversation; `scores` is JSON, `score` the weighted 0–1 total. */
export interface ReviewsTable {
  id: string;
  handoff_id: string;
  scorecard_id: string;
  reviewer_id: string;
  /** The agent who handled the conversation, when it was reviewed. */
  agent_id: string;
  scores: string;
  score: number;
  ts: number;
}

/**
 * A mail of the mail channel (src/mail/): one Lotse received (`in`, raw as accepted) or sent (`out`).
 * `status`: `received` (stored, not yet decided), `answered` (automatic reply sent), `handed_off`,
 * `threaded` (added to its conversation), `ignored` (auto-reply, bounce: stored, never answered),
 * `failed` (could not be read; kept with the warning), `sent`.
 */
export interface MailMessagesTable {
  id: string;
  site_key: string;
  direction: string;
  status: string;
  envelope_from: string;
  /** Comma-separated envelope recipients. */
  envelope_to: string;
  raw: Uint8Array;
  size: number;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  handoff_id: string | null;
  /** The mail this one answers (an automatic reply's question). */
  reply_to_id: string | null;
  /** The knowledge-base entry of an automatic reply. */
  entry_id: string | null;
  /** The customer's "did this solve it?": 1 yes, 0 no, null not rated. */
  rating: number | null;
  warning: string | null;
  received_at: number;
  processed_at: number | null;
  /** Where a fetched mail came from (`imap:<account>:<uidvalidity>:<uid>`), unique per site; null for SMTP. */
  source: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An attachment of a received mail; `content` is null when it was over the size limit. */
export interface MailAttachmentsTable {
  id: string;
  mail_id: string;
  /** Order within the mail (0, 1, …). */
  position: number;
  filename: string;
  content_type: string;
  size: number;
  content: Uint8Array | null;
  warning: string | null;
}

/** The IMAP poller's position in one account's mailbox. */
export interface ImapPositionsTable {
  site_key: string;
  account: string;
  uid_validity: string;
  last_uid: number;
  updated_at: number;
}

export interface LotseTables {
  events: EventsTable;
  handoffs: HandoffsTable;
  messages: MessagesTable;
  notes: NotesTable;
  conversation_tags: ConversationTagsTable;
  sites: SitesTable;
  agents: AgentsTable;
  agent_sessions: AgentSessionsTable;
  invitations: InvitationsTable;
  meta: MetaTable;
  conversations_derived: ConversationsDerivedTable;
  metric_facts: MetricFactsTable;
  derive_marks: DeriveMarksTable;
  derive_state: DeriveStateTable;
  derive_links: DeriveLinksTable;
  session_sizes: SessionSizesTable;
  rate_buckets: RateBucketsTable;
  schema_migrations: SchemaMigrationsTable;
  kb_versions: KbVersionsTable;
  kb_drafts: KbDraftsTable;
  saved_views: SavedViewsTable;
  snippets: SnippetsTable;
  playbook_ticks: PlaybookTicksTable;
  conversation_presence: ConversationPresenceTable;
  scorecards: ScorecardsTable;
  reviews: ReviewsTable;
  mail_messages: MailMessagesTable;
  mail_attachments: MailAttachmentsTable;
  imap_positions: ImapPositionsTable;
}
