// The stored knowledge bases, the same on SQLite and PostgreSQL (Kysely): published versions with
// their source, model and check results, and the drafts of the working copy. JSON is kept as text
// in both dialects: it is only ever read whole.
import type { Kysely } from 'kysely';
import type { LotseTables } from '../store/schema.js';
import type { KbChange, KbSource } from './kb-source.js';

/** A check that did not hold in a version, as the publish gate and the pages name it. */
export interface FailedCheck {
  id: string;
  locale: string;
  question: string;
  /** What differed, one line each (`kind: expected answer, got handoff`). */
  failures: string[];
}

/** A published version without its (large) source and model. */
export interface KbVersionInfo {
  siteKey: string;
  version: number;
  createdAt: number;
  /** E-mail of the publishing agent; null for an import from the site's folder. */
  author: string | null;
  message: string;
  kbHash: string;
  checksTotal: number;
  checksFailed: FailedCheck[];
  /** Why an owner published although checks that passed before failed. */
  overrideReason: string | null;
  restoredFrom: number | null;
  importedFrom: string | null;
  importHash: string | null;
}

/** A version to store: everything but the number, which the store assigns. */
export interface NewKbVersion extends Omit<KbVersionInfo, 'version'> {
  source: KbSource;
  model: string;
}

/** A changed file of a site's working copy. */
export interface KbDraft extends KbChange {
  hash: string;
  updatedBy: string;
  updatedAt: number;
}

/** The knowledge-base versions and drafts of every site. */
export interface KbQueries {
  /** The newest version of each site that has one. */
  latestKbVersions(): Promise<{ siteKey: string; version: number }[]>;
  /** A site's versions, newest first. */
  listKbVersions(siteKey: string): Promise<KbVersionInfo[]>;
  getKbVersion(
    siteKey: string,
    version: number,
  ): Promise<(KbVersionInfo & { source: KbSource }) | undefined>;
  /** A site's newest version with its source; undefined before the first. */
  getNewestKbVersion(siteKey: string): Promise<(KbVersionInfo & { source: KbSource }) | undefined>;
  getKbModel(siteKey: string, version: number): Promise<string | undefined>;
  /**
   * Stores a version as the next number after `after` (0 for the first); undefined when another
   * publish took that number first.
   */
  insertKbVersion(after: number, version: NewKbVersion): Promise<number | undefined>;
  listKbDrafts(siteKey: string): Promise<KbDraft[]>;
  /**
   * Saves a draft when the file is still what the editor started from: the draft's hash, or with
   * no draft the published text's hash, equals `baseHash`; false when someone else changed it.
   */
  saveKbDraft(
    siteKey: string,
    draft: KbDraft,
    baseHash: string,
    publishedHash: string,
  ): Promise<boolean>;
  /** Deletes the drafts that still hold what was published (`hash` equal). */
  deleteKbDrafts(siteKey: string, drafts: readonly { path: string; hash: string }[]): Promise<void>;
}

type VersionRow = Omit<LotseTables['kb_versions'], 'source' | 'model'>;

function versionInfo(r: VersionRow): KbVersionInfo {
  return {
    siteKey: r.site_key,
    version: Number(r.version),
    createdAt: Number(r.created_at),
    author: r.author,
    message: r.message,
    kbHash: r.kb_hash,
    checksTotal: Number(r.checks_total),
    checksFailed: JSON.parse(r.checks_failed) as FailedCheck[],
    overrideReason: r.override_reason,
    restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
    importedFrom: r.imported_from,
    importHash: r.import_hash,
  };
}

const infoColumns = [
  'site_key',
  'version',
  'created_at',
  'author',
  'message',
  'kb_hash',
  'checks_total',
  'checks_failed',
  'override_reason',
  'restored_from',
  'imported_from',
  'import_hash',
] as const;

/** A version's row read with its source. */
async function withSource(
  row: Promise<(VersionRow & { source: string }) | undefined>,
): Promise<(KbVersionInfo & { source: KbSource }) | undefined> {
  const r = await row;
  return r === undefined
    ? undefined
    : { ...versionInfo(r), source: JSON.parse(r.source) as KbSource };
}

/** The knowledge-base queries over a Kysely instance of either dialect. */
export function createKbQueries(db: Kysely<LotseTables>): KbQueries {
  return {
    async latestKbVersions() {
      const rows = await db
        .selectFrom('kb_versions')
        .select(({ fn }) => ['site_key', fn.max('version').as('version')])
        .groupBy('site_key')
        .execute();
      return rows.map((r) => ({ siteKey: r.site_key, version: Number(r.version) }));
    },
    async listKbVersions(siteKey) {
      const rows = await db
        .selectFrom('kb_versions')
        .select(infoColumns)
        .where('site_key', '=', siteKey)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(versionInfo);
    },
    getKbVersion: (siteKey, version) =>
      withSource(
        db
          .selectFrom('kb_versions')
          .select([...infoColumns, 'source'])
          .where('site_key', '=', siteKey)
          .where('version', '=', version)
          .executeTakeFirst(),
      ),
    getNewestKbVersion: (siteKey) =>
      withSource(
        db
          .selectFrom('kb_versions')
          .select([...infoColumns, 'source'])
          .where('site_key', '=', siteKey)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst(),
      ),
    async getKbModel(siteKey, version) {
      const r = await db
        .selectFrom('kb_versions')
        .select('model')
        .where('site_key', '=', siteKey)
        .where('version', '=', version)
        .executeTakeFirst();
      return r?.model;
    },
    async insertKbVersion(after, v) {
      const version = after + 1;
      const r = await db
        .insertInto('kb_versions')
        .values({
          site_key: v.siteKey,
          version,
          created_at: v.createdAt,
          author: v.author,
          message: v.message,
          source: JSON.stringify(v.source),
          kb_hash: v.kbHash,
          model: v.model,
          checks_total: v.checksTotal,
          checks_failed: JSON.stringify(v.checksFailed),
          override_reason: v.overrideReason,
          restored_from: v.restoredFrom,
          imported_from: v.importedFrom,
          import_hash: v.importHash,
        })
        .onConflict((oc) => oc.columns(['site_key', 'version']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1 ? version : undefined;
    },
    async listKbDrafts(siteKey) {
      const rows = await db
        .selectFrom('kb_drafts')
        .selectAll()
        .where('site_key', '=', siteKey)
        .orderBy('path')
        .execute();
      return rows.map((r) => ({
        path: r.path,
        text: r.text,
        hash: r.hash,
        updatedBy: r.updated_by,
        updatedAt: Number(r.updated_at),
      }));
    },
    async saveKbDraft(siteKey, draft, baseHash, publishedHash) {
      const values = {
        text: draft.text,
        hash: draft.hash,
        updated_by: draft.updatedBy,
        updated_at: draft.updatedAt,
      };
      // Compare-and-set in one statement each, so two saves from the same base never both win.
      const updated = await db
        .updateTable('kb_drafts')
        .set(values)
        .where('site_key', '=', siteKey)
        .where('path', '=', draft.path)
        .where('hash', '=', baseHash)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return true;
      const existing = await db
        .selectFrom('kb_drafts')
        .select('hash')
        .where('site_key', '=', siteKey)
        .where('path', '=', draft.path)
        .executeTakeFirst();
      if (existing === undefined && publishedHash === baseHash) {
        const inserted = await db
          .insertInto('kb_drafts')
          .values({ site_key: siteKey, path: draft.path, ...values })
          .onConflict((oc) => oc.columns(['site_key', 'path']).doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      return false;
    },
    async deleteKbDrafts(siteKey, drafts) {
      for (const d of drafts) {
        await db
          .deleteFrom('kb_drafts')
          .where('site_key', '=', siteKey)
          .where('path', '=', d.path)
          .where('hash', '=', d.hash)
          .execute();
      }
    },
  };
}
