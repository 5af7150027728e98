// The schema's versions, each in one place: both dialects' SQL side by side, or one script where
// they agree. Applied in order at start and recorded in `schema_migrations` (on PostgreSQL under an
// advisory lock). A migration never changes once it has shipped: databases created by an earlier
// version run only the ones they lack.

import { type Kysely, sql } from 'kysely';
import { type Dialect, inTransaction } from './dialect.js';
import {
  markReopened,
  refreshHandoffFigures,
  refreshNextContacts,
  unmarkReopenedByOthers,
} from './handoff-figures.js';
import type { LotseTables } from './schema.js';

/**
 * One versioned schema change; its script runs inside a transaction, then `after` (derived columns
 * filled by the queries that keep them, so that their definition is written once).
 */
export type Migration = {
  version: number;
  name: string;
  after?: (tx: Kysely<LotseTables>) => Promise<void>;
} & ({ sql: string } | { sqlite: string; postgres: string });

/**
 * Applies the migrations a database lacks, each in its own transaction with its record, and returns
 * how many ran.
 */
export async function migrate(db: Kysely<LotseTables>, dialect: Dialect): Promise<number> {
  // bigint is an integer column in SQLite too.
  await sql`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at bigint not null)`.execute(
    db,
  );
  let count = 0;
  for (const m of migrations) {
    const ran = await inTransaction(db, dialect, async (tx) => {
      if (dialect.migrationLock !== null) await dialect.migrationLock.execute(tx);
      const applied = await tx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', m.version)
        .executeTakeFirst();
      if (applied !== undefined) return false;
      for (const statement of statementsOf(migrationSql(m, dialect.kind))) {
        await sql.raw(statement).execute(tx);
      }
      await m.after?.(tx);
      await tx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
      return true;
    });
    if (ran) count++;
  }
  return count;
}

/**
 * The statements of a script, one at a time as both drivers prepare them: a statement ends with a
 * semicolon at the end of a line (the scripts below hold no procedural code).
 */
export function statementsOf(script: string): string[] {
  return script
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The script of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: 'sqlite' | 'postgres'): string {
  return 'sql' in migration ? migration.sql : migration[dialect];
}

/** Every migration, in order. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'collector',
    sqlite: `
create table events (
  id text primary key,
  site_key text not null,
  type text not null,
  ts integer not null,
  received_at integer not null,
  session_id text not null,
  anonymous_id text not null,
  conversation_id text,
  user_id text,
  props text not null,
  client_hash text
);
create index events_site_received on events (site_key, received_at);
create index events_anonymous on events (anonymous_id);

create table handoffs (
  id text primary key,
  site_key text not null,
  ticket_id text not null unique,
  token_hash text not null unique,
  token_nonce text not null,
  request_hash text not null,
  email text not null,
  email_key text not null,
  anonymous_id text,
  session_id text,
  conversation_id text,
  locale text,
  message text not null,
  transcript text not null,
  classification text not null,
  level integer not null,
  topic text,
  status text not null,
  created_at integer not null,
  respond_within_minutes integer not null,
  respond_by text not null,
  client_hash text
);
create index handoffs_email on handoffs (email_key);
create index handoffs_anonymous on handoffs (anonymous_id);
create index handoffs_site_created on handoffs (site_key, created_at);

create table messages (
  id text primary key,
  handoff_id text not null references handoffs (id) on delete cascade,
  author text not null,
  text text not null,
  ts integer not null
);
create index messages_handoff on messages (handoff_id, ts);

create table sites (
  key text primary key,
  settings text not null,
  updated_at integer not null
);

create table agents (
  id text primary key,
  email text not null unique,
  password_hash text not null,
  role text not null,
  created_at integer not null
);

create table meta (
  key text primary key,
  value text not null
);

create table rate_buckets (
  key text primary key,
  tokens real not null,
  updated_at integer not null,
  allowed integer not null
);
`,
    postgres: `
create table events (
  id text primary key,
  site_key text not null,
  type text not null,
  ts bigint not null,
  received_at bigint not null,
  session_id text not null,
  anonymous_id text not null,
  conversation_id text,
  user_id text,
  props jsonb not null,
  client_hash text
);
create index events_site_received on events (site_key, received_at);
create index events_anonymous on events (anonymous_id);

create table handoffs (
  id text primary key,
  site_key text not null,
  ticket_id text not null unique,
  token_hash text not null unique,
  token_nonce text not null,
  request_hash text not null,
  email text not null,
  email_key text not null,
  anonymous_id text,
  session_id text,
  conversation_id text,
  locale text,
  message text not null,
  transcript jsonb not null,
  classification jsonb not null,
  level integer not null,
  topic text,
  status text not null,
  created_at bigint not null,
  respond_within_minutes integer not null,
  respond_by text not null,
  client_hash text
);
create index handoffs_email on handoffs (email_key);
create index handoffs_anonymous on handoffs (anonymous_id);
create index handoffs_site_created on handoffs (site_key, created_at);

create table messages (
  id text primary key,
  handoff_id text not null references handoffs (id) on delete cascade,
  author text not null,
  text text not null,
  ts bigint not null
);
create index messages_handoff on messages (handoff_id, ts);

create table sites (
  key text primary key,
  settings jsonb not null,
  updated_at bigint not null
);

create table agents (
  id text primary key,
  email text not null unique,
  password_hash text not null,
  role text not null,
  created_at bigint not null
);

create table meta (
  key text primary key,
  value text not null
);

create table rate_buckets (
  key text primary key,
  tokens double precision not null,
  updated_at bigint not null,
  allowed boolean not null
);
`,
  },
  {
    version: 2,
    name: 'agents',
    // The test reset drops only the collector's tables, so the new tables are dropped here first
    // (a no-op on a real database, where this migration runs once before they exist).
    sqlite: `
drop table if exists agent_sessions;
drop table if exists invitations;
create table agent_sessions (
  id_hash text primary key,
  agent_id text not null references agents (id) on delete cascade,
  csrf text not null,
  created_at integer not null,
  expires_at integer not null
);
create index agent_sessions_expires on agent_sessions (expires_at);

create table invitations (
  token_hash text primary key,
  email text not null,
  role text not null,
  kind text not null,
  created_at integer not null,
  expires_at integer not null,
  used_at integer
);

alter table handoffs add column assignee text;
alter table handoffs add column first_reply_at integer;
alter table handoffs add column closed_at integer;
create index handoffs_status on handoffs (site_key, status, created_at);
create index events_site_ts on events (site_key, ts);
`,
    postgres: `
drop table if exists agent_sessions;
drop table if exists invitations;
create table agent_sessions (
  id_hash text primary key,
  agent_id text not null references agents (id) on delete cascade,
  csrf text not null,
  created_at bigint not null,
  expires_at bigint not null
);
create index agent_sessions_expires on agent_sessions (expires_at);

create table invitations (
  token_hash text primary key,
  email text not null,
  role text not null,
  kind text not null,
  created_at bigint not null,
  expires_at bigint not null,
  used_at bigint
);

alter table handoffs add column assignee text;
alter table handoffs add column first_reply_at bigint;
alter table handoffs add column closed_at bigint;
create index handoffs_status on handoffs (site_key, status, created_at);
create index events_site_ts on events (site_key, ts);
`,
  },
  {
    version: 3,
    name: 'derived-conversations',
    // Pre-aggregation for the dashboard (src/dashboard/pre-aggregate.ts): the conversations derived
    // per session, the score/question/rating events they read, and the sessions whose events changed
    // since (written in the same transaction as the events). Dropped first for the test reset.
    sqlite: `
drop table if exists derive_dirty;
drop table if exists conversations_derived;
drop table if exists metric_facts;
create table derive_dirty (
  site_key text not null,
  session_id text not null,
  gen integer not null,
  primary key (site_key, session_id)
);
create table conversations_derived (
  site_key text not null,
  session_id text not null,
  seq integer not null,
  id text not null,
  contact text not null,
  topic text,
  level real,
  started_at integer not null,
  last_activity_at integer not null,
  outcome text not null,
  ended_at integer,
  handoff_at integer,
  handoff_level real,
  ticket_id text,
  first_reply_at integer,
  closed_at integer,
  reopened integer not null,
  channel text not null,
  frt_business integer,
  hours_key text not null,
  day text not null,
  primary key (site_key, session_id, seq)
);
create index conversations_derived_started on conversations_derived (site_key, started_at);
create index conversations_derived_contact on conversations_derived (site_key, contact, started_at);
create index conversations_derived_id on conversations_derived (site_key, id);
create index conversations_derived_ticket on conversations_derived (site_key, ticket_id);
create table metric_facts (
  site_key text not null,
  event_id text not null,
  session_id text not null,
  type text not null,
  ts integer not null,
  score real,
  conversation_id text,
  topic text,
  text text,
  norm text,
  entry_id text,
  helpful integer,
  primary key (site_key, event_id)
);
create index metric_facts_type_ts on metric_facts (site_key, type, ts);
create index metric_facts_conversation on metric_facts (site_key, conversation_id);
create index metric_facts_session on metric_facts (site_key, session_id);
create index events_site_session on events (site_key, session_id, ts);
insert into derive_dirty (site_key, session_id, gen)
  select distinct site_key, session_id, 1 from events;
`,
    postgres: `
drop table if exists derive_dirty;
drop table if exists conversations_derived;
drop table if exists metric_facts;
create table derive_dirty (
  site_key text not null,
  session_id text not null,
  gen bigint not null,
  primary key (site_key, session_id)
);
create table conversations_derived (
  site_key text not null,
  session_id text not null,
  seq integer not null,
  id text not null,
  contact text not null,
  topic text,
  level double precision,
  started_at bigint not null,
  last_activity_at bigint not null,
  outcome text not null,
  ended_at bigint,
  handoff_at bigint,
  handoff_level double precision,
  ticket_id text,
  first_reply_at bigint,
  closed_at bigint,
  reopened integer not null,
  channel text not null,
  frt_business bigint,
  hours_key text not null,
  day text not null,
  primary key (site_key, session_id, seq)
);
create index conversations_derived_started on conversations_derived (site_key, started_at);
create index conversations_derived_contact on conversations_derived (site_key, contact, started_at);
create index conversations_derived_id on conversations_derived (site_key, id);
create index conversations_derived_ticket on conversations_derived (site_key, ticket_id);
create table metric_facts (
  site_key text not null,
  event_id text not null,
  session_id text not null,
  type text not null,
  ts bigint not null,
  score double precision,
  conversation_id text,
  topic text,
  text text,
  norm text,
  entry_id text,
  helpful integer,
  primary key (site_key, event_id)
);
create index metric_facts_type_ts on metric_facts (site_key, type, ts);
create index metric_facts_conversation on metric_facts (site_key, conversation_id);
create index metric_facts_session on metric_facts (site_key, session_id);
create index events_site_session on events (site_key, session_id, ts);
insert into derive_dirty (site_key, session_id, gen)
  select distinct site_key, session_id, 1 from events;
`,
  },
  {
    version: 4,
    name: 'handoff-user',
    // The user id of a signed `identify` (verified by the server), so a signed-in visitor finds their
    // conversations on any device.
    sql: `
alter table handoffs add column user_id text;
create index handoffs_user on handoffs (site_key, user_id, created_at);
`,
  },
  {
    version: 5,
    name: 'next-contact',
    // FCR's second contacts, kept per conversation (src/dashboard/summary-queries.ts): when the same
    // contact's next conversation on the same topic (and level, channel, both) started. Every derived
    // session is derived again, which fills them. The FRT durations are read from their own index.
    sqlite: `
alter table conversations_derived add column next_topic_at integer;
alter table conversations_derived add column next_level_at integer;
alter table conversations_derived add column next_channel_at integer;
alter table conversations_derived add column next_level_channel_at integer;
create index conversations_derived_frt on conversations_derived
  (site_key, started_at, topic, level, channel, handoff_at, first_reply_at, frt_business)
  where handoff_at is not null and first_reply_at is not null;
insert into derive_dirty (site_key, session_id, gen)
  select distinct site_key, session_id, 1 from conversations_derived where true
  on conflict (site_key, session_id) do update set gen = gen + 1;
`,
    postgres: `
alter table conversations_derived add column if not exists next_topic_at bigint;
alter table conversations_derived add column if not exists next_level_at bigint;
alter table conversations_derived add column if not exists next_channel_at bigint;
alter table conversations_derived add column if not exists next_level_channel_at bigint;
create index conversations_derived_frt on conversations_derived
  (site_key, started_at, topic, level, channel, handoff_at, first_reply_at, frt_business)
  where handoff_at is not null and first_reply_at is not null;
insert into derive_dirty (site_key, session_id, gen)
  select distinct site_key, session_id, 1 from conversations_derived where true
  on conflict (site_key, session_id) do update set gen = derive_dirty.gen + 1;
`,
  },
  {
    version: 6,
    name: 'incremental-derivation',
    // Derivation folds only new events into a running summary per session (store/session-fold.ts):
    // the summary, the handed-off conversations later events attach to, the earliest event stored
    // since the last derivation (null: derive the session from scratch), and each session's stored
    // events for the per-session cap (store/store.ts, SESSION_EVENT_CAP).
    sqlite: `
alter table derive_dirty add column low_ts integer;
alter table derive_dirty add column low_id text;
create table derive_state (
  site_key text not null,
  session_id text not null,
  state text not null,
  primary key (site_key, session_id)
);
create table derive_links (
  site_key text not null,
  session_id text not null,
  key text not null,
  seq integer not null,
  primary key (site_key, session_id, key)
);
create table session_sizes (
  site_key text not null,
  session_id text not null,
  events integer not null,
  primary key (site_key, session_id)
);
insert into session_sizes (site_key, session_id, events)
  select site_key, session_id, count(*) from events group by site_key, session_id;
`,
    // On PostgreSQL the dirty marks become a log, one row per stored batch with
    // its earliest event: a derivation takes the marks its snapshot sees (repeatable read) and
    // deletes just those, so inserts never wait for a derivation's locks.
    postgres: `
create table derive_marks (
  id bigint generated always as identity primary key,
  site_key text not null,
  session_id text not null,
  low_ts bigint,
  low_id text
);
create index derive_marks_session on derive_marks (site_key, session_id);
insert into derive_marks (site_key, session_id) select site_key, session_id from derive_dirty;
drop table derive_dirty;
create table derive_state (
  site_key text not null,
  session_id text not null,
  state jsonb not null,
  primary key (site_key, session_id)
);
create table derive_links (
  site_key text not null,
  session_id text not null,
  key text not null,
  seq integer not null,
  primary key (site_key, session_id, key)
);
create table session_sizes (
  site_key text not null,
  session_id text not null,
  events bigint not null,
  primary key (site_key, session_id)
);
insert into session_sizes (site_key, session_id, events)
  select site_key, session_id, count(*) from events group by site_key, session_id;
`,
  },
  {
    version: 7,
    name: 'derive-marks',
    // SQLite keeps its dirty marks as the same log as PostgreSQL (migration 6), so that one set of
    // queries (store/derive-queries.ts) serves both; PostgreSQL has it already.
    sqlite: `
create table derive_marks (
  id integer primary key,
  site_key text not null,
  session_id text not null,
  low_ts integer,
  low_id text
);
create index derive_marks_session on derive_marks (site_key, session_id);
insert into derive_marks (site_key, session_id, low_ts, low_id)
  select site_key, session_id, low_ts, low_id from derive_dirty;
drop table derive_dirty;
`,
    postgres: '',
  },
  {
    version: 8,
    name: 'knowledge-base-versions',
    // The knowledge base in the product (src/kb/): every publish is a version holding its source
    // (config, entry files, check suite), the model built from it and how its checks went; drafts
    // are the working copy's changed files, each with the hash of its text for conflict checks.
    sql: `
create table kb_versions (
  site_key text not null,
  version integer not null,
  created_at bigint not null,
  author text,
  message text not null,
  source text not null,
  kb_hash text not null,
  model text not null,
  checks_total integer not null,
  checks_failed text not null,
  override_reason text,
  restored_from integer,
  imported_from text,
  import_hash text,
  primary key (site_key, version)
);
create table kb_drafts (
  site_key text not null,
  path text not null,
  text text,
  hash text not null,
  updated_by text not null,
  updated_at bigint not null,
  primary key (site_key, path)
);
`,
  },
  {
    version: 9,
    name: 'fact-kb-version-and-locale',
    // The knowledge-base version an answer was shown or rated under (answers by version on the
    // dashboard) and the language of an unanswered question (its "create entry" link). Events
    // before this version carried no kbVersion; the locale of stored questions is read back from
    // their events.
    sqlite: `
alter table metric_facts add column kb_version integer;
alter table metric_facts add column locale text;
update metric_facts set locale = (select json_extract(e.props, '$.locale') from events e
  where e.id = metric_facts.event_id) where type = 'query.unanswered';
`,
    postgres: `
alter table metric_facts add column kb_version integer;
alter table metric_facts add column locale text;
update metric_facts f set locale = e.props->>'locale' from events e
  where e.id = f.event_id and f.type = 'query.unanswered';
`,
  },
  {
    version: 10,
    name: 'inbox-notes-and-tags',
    // The agents' internal notes on a conversation and its free tags (src/inbox/). Notes live in a
    // table of their own, not among the messages, so no visitor route (which reads messages) can
    // ever return one. The agent is kept by id without a reference, as the assignee is.
    sql: `
create table notes (
  id text primary key,
  handoff_id text not null references handoffs (id) on delete cascade,
  agent_id text not null,
  text text not null,
  ts bigint not null
);
create index notes_handoff on notes (handoff_id, ts);
create table conversation_tags (
  handoff_id text not null references handoffs (id) on delete cascade,
  tag text not null,
  primary key (handoff_id, tag)
);
create index conversation_tags_tag on conversation_tags (tag, handoff_id);
`,
  },
  {
    version: 11,
    name: 'team-workspace-and-scorecards',
    // Issue 15's tables, written once for both dialects: agents' saved inbox views, the team's
    // snippets, playbook steps ticked (who, when), who has a conversation open (collision
    // warnings), the owner's scorecards and the reviewers' reviews. Agents are kept by id without
    // a reference, as the assignee is. A review's scores are JSON: criterion id to score and comment.
    // The inbox list's filters across sites (state and deadline, assignee, topic) get an index each.
    sql: `
create table saved_views (
  id text primary key,
  agent_id text not null,
  name text not null,
  query text not null,
  created_at bigint not null
);
create index saved_views_agent on saved_views (agent_id, created_at);
create table snippets (
  id text primary key,
  site_key text not null,
  title text not null,
  text text not null,
  locale text,
  updated_by text not null,
  updated_at bigint not null
);
create index snippets_site on snippets (site_key, title);
create table playbook_ticks (
  handoff_id text not null references handoffs (id) on delete cascade,
  step integer not null,
  step_text text not null,
  agent_id text not null,
  ts bigint not null,
  primary key (handoff_id, step)
);
create table conversation_presence (
  handoff_id text not null references handoffs (id) on delete cascade,
  agent_id text not null,
  seen_at bigint not null,
  primary key (handoff_id, agent_id)
);
create table scorecards (
  id text primary key,
  site_key text,
  name text not null,
  topic text,
  criteria text not null,
  sample_size integer not null default 5,
  created_by text not null,
  created_at bigint not null,
  archived_at bigint
);
create table reviews (
  id text primary key,
  handoff_id text not null references handoffs (id) on delete cascade,
  scorecard_id text not null references scorecards (id),
  reviewer_id text not null,
  agent_id text not null,
  scores text not null,
  score real not null,
  ts bigint not null,
  unique (handoff_id, reviewer_id)
);
create index reviews_agent on reviews (agent_id, ts);
create index handoffs_state on handoffs (status, respond_by);
create index handoffs_assignee on handoffs (assignee, status);
create index handoffs_topic on handoffs (topic, site_key);
`,
  },
  {
    version: 12,
    name: 'mail-channel',
    // Issue 16: every mail the SMTP listener accepts, stored raw before it is acknowledged (so a
    // crash loses none), then parsed and decided; the mails Lotse sends on a mail conversation too,
    // so that answers thread back by Message-ID. Raw bytes are a blob in SQLite and bytea in
    // PostgreSQL: the only difference, hence two scripts.
    sqlite: `
create table mail_messages (
  id text primary key,
  site_key text not null,
  direction text not null,
  status text not null,
  envelope_from text not null,
  envelope_to text not null,
  raw blob not null,
  size integer not null,
  message_id text,
  from_address text,
  subject text,
  handoff_id text references handoffs (id) on delete cascade,
  reply_to_id text,
  entry_id text,
  rating integer,
  warning text,
  received_at integer not null,
  processed_at integer
);
create index mail_messages_thread on mail_messages (site_key, message_id);
create index mail_messages_handoff on mail_messages (handoff_id, received_at);
create index mail_messages_status on mail_messages (status, received_at);
`,
    postgres: `
create table mail_messages (
  id text primary key,
  site_key text not null,
  direction text not null,
  status text not null,
  envelope_from text not null,
  envelope_to text not null,
  raw bytea not null,
  size integer not null,
  message_id text,
  from_address text,
  subject text,
  handoff_id text references handoffs (id) on delete cascade,
  reply_to_id text,
  entry_id text,
  rating integer,
  warning text,
  received_at bigint not null,
  processed_at bigint
);
create index mail_messages_thread on mail_messages (site_key, message_id);
create index mail_messages_handoff on mail_messages (handoff_id, received_at);
create index mail_messages_status on mail_messages (status, received_at);
`,
  },
  {
    version: 13,
    name: 'mail-attachments-and-imap',
    // Issue 16: a received mail's attachments, kept apart from its raw bytes so that listing them
    // needs no parse (`content` is null for one over the size limit: listed, not kept); the IMAP
    // poller's position per site and account (the mailbox's UIDVALIDITY and the last UID stored);
    // and a mail's source (`imap:<account>:<uidvalidity>:<uid>`), unique per site, so that a mail
    // fetched twice after a crash is stored once. Blob against bytea: hence two scripts.
    sqlite: `
create table mail_attachments (
  id text primary key,
  mail_id text not null references mail_messages (id) on delete cascade,
  position integer not null,
  filename text not null,
  content_type text not null,
  size integer not null,
  content blob,
  warning text,
  unique (mail_id, position)
);
create table imap_positions (
  site_key text not null,
  account text not null,
  uid_validity text not null,
  last_uid integer not null,
  updated_at integer not null,
  primary key (site_key, account)
);
alter table mail_messages add column source text;
create unique index mail_messages_source on mail_messages (site_key, source);
`,
    postgres: `
create table mail_attachments (
  id text primary key,
  mail_id text not null references mail_messages (id) on delete cascade,
  position integer not null,
  filename text not null,
  content_type text not null,
  size integer not null,
  content bytea,
  warning text,
  unique (mail_id, position)
);
create table imap_positions (
  site_key text not null,
  account text not null,
  uid_validity text not null,
  last_uid bigint not null,
  updated_at bigint not null,
  primary key (site_key, account)
);
alter table mail_messages add column source text;
create unique index mail_messages_source on mail_messages (site_key, source);
`,
  },
  {
    version: 14,
    name: 'team-figures-on-write',
    // Issue 15's team view over a month in under a second: each handoff keeps its active time, the
    // playbook steps ticked (a bit each) and the visitor's next contact on the topic, updated as the
    // conversation changes (handoff-figures.ts) instead of read from every message at each view.
    // Reopens are read through an index of their own (few among the events).
    sql: `
alter table handoffs add column active_ms bigint not null default 0;
alter table handoffs add column ticked_mask integer not null default 0;
alter table handoffs add column next_contact_at bigint;
create index events_reopened on events (site_key, ts) where type = 'conversation.reopened';
`,
    async after(tx) {
      const handoffs = await tx.selectFrom('handoffs').select(['id', 'site_key']).execute();
      await refreshHandoffFigures(
        tx,
        handoffs.map((h) => h.id),
      );
      await refreshNextContacts(
        tx,
        handoffs.map((h) => h.site_key),
      );
    },
  },
  {
    version: 15,
    name: 'team-view-joins',
    // The team view joins in the database instead of reading every handoff's ids: whether a
    // conversation was reopened (its session's reopen events), and which handoff a CSAT answer
    // (by conversation or ticket id) or an NPS answer (the session's latest handoff) counts for;
    // the latest of a conversation or session is the last entry of its index range.
    sql: `
drop index events_reopened;
create index events_reopened_session on events (site_key, session_id, conversation_id, ts) where type = 'conversation.reopened';
create index handoffs_conversation on handoffs (site_key, conversation_id, created_at, id);
create index handoffs_session on handoffs (site_key, session_id, created_at, id);
`,
  },
  {
    version: 16,
    name: 'reopened-on-write',
    // The team view read each handoff's reopens through an index probe per handoff (on SQLite most
    // of a month's read time): the handoff keeps the answer, set as a reopen is stored.
    sql: `
alter table handoffs add column reopened integer not null default 0;
`,
    async after(tx) {
      await markReopened(tx);
    },
  },
  {
    version: 17,
    name: 'covering-dashboard-indexes',
    // The dashboard's facts of a month and the conversation each CSAT answer counts for are read
    // from their indexes alone (no table row per answer): on PostgreSQL the month's aggregates took
    // 0.35-0.39 s with these against 0.59 s without.
    sql: `
drop index conversations_derived_id;
drop index conversations_derived_ticket;
drop index metric_facts_type_ts;
create index conversations_derived_id on conversations_derived (site_key, id, started_at, day, topic, level, channel);
create index conversations_derived_ticket on conversations_derived (site_key, ticket_id, started_at, day, topic, level, channel);
create index metric_facts_type_ts on metric_facts (site_key, type, ts, score, conversation_id, entry_id, helpful, kb_version, topic);
`,
  },
  {
    version: 18,
    name: 'rate-bucket-grants',
    // Concurrent takes from one shared bucket go in one statement (token-bucket.ts, coalesceTakes),
    // which records how many of them got a token.
    sql: `
alter table rate_buckets add column granted integer not null default 0;
`,
  },
  {
    version: 19,
    name: 'drop-events-by-time',
    // Only the tests' listEventsBetween reads events by site and time (the dashboard reads derived
    // rows, derivation a session's events by events_site_session): one index fewer per event.
    sql: `
drop index events_site_ts;
`,
  },
  {
    version: 20,
    name: 'agent-deactivation',
    // An admin deactivates a departing agent instead of deleting the account, so its replies,
    // notes, assignments and reviews stay attributed (admin/, agents/agent-queries.ts).
    sql: `
alter table agents add column deactivated_at bigint;
`,
  },
  {
    version: 21,
    name: 'thanks-only-messages',
    // A visitor's "Danke!" after an answer asks nothing: the inbox does not show the conversation
    // as awaiting a reply for it, and nobody is told (inbox/inbox-queries.ts, notify/).
    sql: `
alter table messages add column thanks_only integer not null default 0;
`,
  },
  {
    version: 22,
    name: 'reopened-by-ticket',
    // A reopen marked every handoff of its session (the widget sends no conversation id): now the
    // handoff it names (store/handoff-figures.ts); the marks set before are put right where the
    // session's reopens are still stored.
    sql: '',
    async after(tx) {
      await unmarkReopenedByOthers(tx);
    },
  },
];
