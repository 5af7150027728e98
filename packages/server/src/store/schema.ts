// The tables as the typed query layer (Kysely, store/queries.ts) sees them: written once for both
// databases. Epoch milliseconds are int8 in PostgreSQL (read back as numbers, postgres-store.ts) and
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
}

export interface MessagesTable {
  id: string;
  handoff_id: string;
  author: string;
  text: string;
  ts: number;
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

/** The tables the shared queries read and write; derivation's tables stay with each dialect. */
export interface LotseTables {
  events: EventsTable;
  handoffs: HandoffsTable;
  messages: MessagesTable;
  sites: SitesTable;
  agents: AgentsTable;
  agent_sessions: AgentSessionsTable;
  invitations: InvitationsTable;
  meta: MetaTable;
}
