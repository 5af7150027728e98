// The store's queries that read the same on SQLite and PostgreSQL, written once with Kysely and kept
// in the folder of the feature that owns them: this file puts them together for the dialect stores
// (sqlite-store.ts, postgres-store.ts), beside the derivation's (derive-queries.ts) and the
// deletions (privacy/deletion-queries.ts).
import type { Kysely } from 'kysely';
import { type AgentQueries, createAgentQueries } from '../agents/agent-queries.js';
import { type AuthQueries, createAuthQueries } from '../auth/auth-queries.js';
import {
  type ConversationToolsQueries,
  createConversationToolsQueries,
} from '../conversation-tools/conversation-tools-queries.js';
import { createDashboardQueries, type DashboardQueries } from '../dashboard/dashboard-queries.js';
import { createTeamQueries, type TeamQueries } from '../dashboard/team-queries.js';
import { createInboxQueries, type InboxQueries } from '../inbox/inbox-queries.js';
import { createIngestQueries, type IngestQueries } from '../ingest/ingest-queries.js';
import { createKbQueries, type KbQueries } from '../kb/kb-queries.js';
import { type AttachmentQueries, createAttachmentQueries } from '../mail/attachment-queries.js';
import { createMailQueries, type MailQueries } from '../mail/mail-queries.js';
import { createDeletions } from '../privacy/deletion-queries.js';
import { createPrivacyQueries, type PrivacyQueries } from '../privacy/privacy-queries.js';
import { createScorecardQueries, type ScorecardQueries } from '../scorecards/scorecard-queries.js';
import { createSiteQueries, type SiteQueries } from '../sites/site-queries.js';
import { createDerivedReads } from './derive-queries.js';
import { deriveInThread } from './derive-sessions.js';
import type { Dialect, RowPacking } from './dialect.js';
import { recordReopens } from './handoff-figures.js';
import { createMetaQueries, type MetaQueries } from './meta-queries.js';
import { migrate } from './migrations.js';
import type { JsonCodec, LotseTables } from './schema.js';
import {
  type DeriveDirtyRequest,
  type EventRow,
  type InsertEventsResult,
  insertResult,
  type Store,
} from './store.js';
import { giveBackToShared } from './token-bucket.js';

/** The part of `Store` that {@link createQueries} implements for both dialects. */
export type SharedQueries = IngestQueries &
  InboxQueries &
  ConversationToolsQueries &
  SiteQueries &
  AgentQueries &
  AuthQueries &
  DashboardQueries &
  PrivacyQueries &
  KbQueries &
  MailQueries &
  AttachmentQueries &
  ScorecardQueries &
  MetaQueries &
  TeamQueries;

/**
 * The shared queries over a Kysely instance of either dialect, with that dialect's JSON codec and
 * its way of running large reads off the request path (`Store.runAggregates`).
 */
export function createQueries(
  db: Kysely<LotseTables>,
  json: JsonCodec,
  runAggregates: Store['runAggregates'],
  rows: RowPacking,
): SharedQueries {
  return {
    ...createIngestQueries(db, json),
    ...createInboxQueries(db, json),
    ...createConversationToolsQueries(db),
    ...createSiteQueries(db, json),
    ...createAgentQueries(db, json),
    ...createAuthQueries(db, json),
    ...createDashboardQueries(db),
    ...createPrivacyQueries(db, json),
    ...createKbQueries(db),
    ...createMailQueries(db),
    ...createAttachmentQueries(db),
    ...createScorecardQueries(db),
    ...createMetaQueries(db),
    ...createTeamQueries(db, json, runAggregates, rows),
  };
}

/** What each dialect's store does its own way, for {@link createSharedStore}. */
export interface DialectParts {
  /** Runs the dashboard's large reads off the request path. */
  runAggregates: Store['runAggregates'];
  /** Stores a batch (never empty): how many rows were new, which were over their session's cap. */
  storeBatch(rows: readonly EventRow[]): Promise<{ accepted: number; overCap: number[] }>;
  /** Asks the store's deriving thread (see `deriveInThread`). */
  askDeriver: Parameters<typeof deriveInThread>[0];
}

/**
 * Everything of a store written once for both dialects: the shared queries, storing and deriving
 * events around the dialect's own parts, the reads of derived rows, deletions and migrations.
 */
export function createSharedStore(
  db: Kysely<LotseTables>,
  dialect: Dialect,
  { runAggregates, storeBatch, askDeriver }: DialectParts,
) {
  return {
    ...createQueries(db, dialect.json, runAggregates, dialect.rows),
    runAggregates,
    async insertEvents(rows: readonly EventRow[]): Promise<InsertEventsResult> {
      if (rows.length === 0) return { accepted: 0, duplicates: 0 };
      const { accepted, overCap } = await storeBatch(rows);
      await recordReopens(db, rows, overCap);
      return insertResult(rows.length, accepted, overCap);
    },
    deriveDirty: (request: DeriveDirtyRequest) => deriveInThread(askDeriver, request),
    // Shared buckets (PostgreSQL); the SQLite store keeps its buckets in memory and puts back there.
    giveBackToken: giveBackToShared(db),
    ...createDerivedReads(db),
    ...createDeletions(db, dialect),
    migrate: () => migrate(db, dialect),
  };
}
