// The conversation view's working tools, the same on SQLite and PostgreSQL (Kysely): the team's
// snippets, the playbook steps ticked on a conversation, who has a conversation open, and the notes
// that mention an agent.
import { type Kysely, sql } from 'kysely';
import type { NoteRow } from '../inbox/inbox-queries.js';
import { refreshHandoffFigures } from '../store/handoff-figures.js';
import { chunks } from '../store/rows.js';
import type { LotseTables } from '../store/schema.js';

/** A reply text the team keeps for a site, optionally for one language. */
export interface SnippetRow {
  id: string;
  siteKey: string;
  title: string;
  text: string;
  /** `de`, `en`, or null for every language. */
  locale: string | null;
  /** E-mail of the agent who saved it last. */
  updatedBy: string;
  updatedAt: number;
}

/** A playbook step ticked on a conversation: by whom and when, with the step's text at that time. */
export interface PlaybookTick {
  handoffId: string;
  /** Index of the step in the topic's playbook. */
  step: number;
  stepText: string;
  agentId: string;
  ts: number;
}

/** An agent who had a conversation open, and when they last opened it. */
export interface Presence {
  agentId: string;
  seenAt: number;
}

/** The snippets, playbook ticks, presence and mentions of the conversation view. */
export interface ConversationToolsQueries {
  /** A site's snippets by title. */
  listSnippets(siteKey: string): Promise<SnippetRow[]>;
  getSnippet(id: string): Promise<SnippetRow | undefined>;
  /** Inserts the snippet, or replaces the one with its id. */
  saveSnippet(row: SnippetRow): Promise<void>;
  /**
   * Replaces the snippet with `row` only while it is still `base` as read (the same title, text,
   * language and time of the last save), in the one statement; whether it did. So of two agents
   * saving over the same version, the second one's save changes nothing.
   */
  replaceSnippet(row: SnippetRow, base: SnippetRow): Promise<boolean>;
  /** Removes a snippet; whether there was one. */
  deleteSnippet(id: string): Promise<boolean>;
  /**
   * Makes `ticked` the ticked steps of a conversation: steps no longer ticked are removed, new ones
   * are recorded for `agentId` at `ts`, and steps that stay keep who ticked them and when.
   */
  setTicks(
    handoffId: string,
    ticked: readonly { step: number; stepText: string }[],
    agentId: string,
    ts: number,
  ): Promise<void>;
  /** A conversation's ticks by step. */
  listTicks(handoffId: string): Promise<PlaybookTick[]>;
  /** The ticked step indexes of each of these conversations; one without ticks is absent. */
  tickedSteps(handoffIds: readonly string[]): Promise<Map<string, number[]>>;
  /** Records that an agent opened a conversation now. */
  recordPresence(handoffId: string, agentId: string, ts: number): Promise<void>;
  /** The agents who opened a conversation at `since` or later, newest first. */
  presentSince(handoffId: string, since: number): Promise<Presence[]>;
  /**
   * Notes whose text contains `@email` (case-insensitive), newest first; the caller checks the
   * mention's boundaries (`@ann@example.com` is inside `@ann@example.com.au`).
   */
  notesMentioning(email: string, limit: number): Promise<NoteRow[]>;
}

/** The conversation tools' queries over a Kysely instance of either dialect. */
export function createConversationToolsQueries(db: Kysely<LotseTables>): ConversationToolsQueries {
  const snippetOf = (r: LotseTables['snippets']): SnippetRow => ({
    id: r.id,
    siteKey: r.site_key,
    title: r.title,
    text: r.text,
    locale: r.locale,
    updatedBy: r.updated_by,
    updatedAt: Number(r.updated_at),
  });
  return {
    async listSnippets(siteKey) {
      const rows = await db
        .selectFrom('snippets')
        .selectAll()
        .where('site_key', '=', siteKey)
        .orderBy('title')
        .orderBy('id')
        .execute();
      return rows.map(snippetOf);
    },
    async getSnippet(id) {
      const r = await db.selectFrom('snippets').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : snippetOf(r);
    },
    async saveSnippet(s) {
      const values = {
        id: s.id,
        site_key: s.siteKey,
        title: s.title,
        text: s.text,
        locale: s.locale,
        updated_by: s.updatedBy,
        updated_at: s.updatedAt,
      };
      await db
        .insertInto('snippets')
        .values(values)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            title: s.title,
            text: s.text,
            locale: s.locale,
            updated_by: s.updatedBy,
            updated_at: s.updatedAt,
          }),
        )
        .execute();
    },
    async replaceSnippet(s, base) {
      const r = await db
        .updateTable('snippets')
        .set({
          title: s.title,
          text: s.text,
          locale: s.locale,
          updated_by: s.updatedBy,
          updated_at: s.updatedAt,
        })
        .where('id', '=', base.id)
        .where('title', '=', base.title)
        .where('text', '=', base.text)
        .where((eb) =>
          base.locale === null ? eb('locale', 'is', null) : eb('locale', '=', base.locale),
        )
        .where('updated_at', '=', base.updatedAt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async deleteSnippet(id) {
      const r = await db.deleteFrom('snippets').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async setTicks(handoffId, ticked, agentId, ts) {
      const steps = ticked.map((t) => t.step);
      await db
        .deleteFrom('playbook_ticks')
        .where('handoff_id', '=', handoffId)
        .$if(steps.length > 0, (q) => q.where('step', 'not in', steps))
        .execute();
      if (ticked.length > 0) {
        await db
          .insertInto('playbook_ticks')
          .values(
            ticked.map((t) => ({
              handoff_id: handoffId,
              step: t.step,
              step_text: t.stepText,
              agent_id: agentId,
              ts,
            })),
          )
          .onConflict((oc) => oc.columns(['handoff_id', 'step']).doNothing())
          .execute();
      }
      await refreshHandoffFigures(db, [handoffId]);
    },
    async listTicks(handoffId) {
      const rows = await db
        .selectFrom('playbook_ticks')
        .selectAll()
        .where('handoff_id', '=', handoffId)
        .orderBy('step')
        .execute();
      return rows.map((r) => ({
        handoffId: r.handoff_id,
        step: Number(r.step),
        stepText: r.step_text,
        agentId: r.agent_id,
        ts: Number(r.ts),
      }));
    },
    async tickedSteps(handoffIds) {
      const out = new Map<string, number[]>();
      for (const ids of chunks(handoffIds, 500)) {
        const rows = await db
          .selectFrom('playbook_ticks')
          .select(['handoff_id', 'step'])
          .where('handoff_id', 'in', ids)
          .orderBy('handoff_id')
          .orderBy('step')
          .execute();
        for (const r of rows) {
          out.set(r.handoff_id, [...(out.get(r.handoff_id) ?? []), Number(r.step)]);
        }
      }
      return out;
    },

    async recordPresence(handoffId, agentId, ts) {
      await db
        .insertInto('conversation_presence')
        .values({ handoff_id: handoffId, agent_id: agentId, seen_at: ts })
        .onConflict((oc) => oc.columns(['handoff_id', 'agent_id']).doUpdateSet({ seen_at: ts }))
        .execute();
    },
    async presentSince(handoffId, since) {
      const rows = await db
        .selectFrom('conversation_presence')
        .select(['agent_id', 'seen_at'])
        .where('handoff_id', '=', handoffId)
        .where('seen_at', '>=', since)
        .orderBy('seen_at', 'desc')
        .orderBy('agent_id')
        .execute();
      return rows.map((r) => ({ agentId: r.agent_id, seenAt: Number(r.seen_at) }));
    },

    async notesMentioning(email, limit) {
      // LIKE's own wildcards in an address (`_` is common) are escaped; lower() on both sides
      // because PostgreSQL's LIKE is case-sensitive and SQLite's is not.
      const pattern = `%@${email.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const rows = await db
        .selectFrom('notes')
        .selectAll()
        .where(sql<boolean>`lower(text) like ${pattern} escape '\\'`)
        .orderBy('ts', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        handoffId: r.handoff_id,
        agentId: r.agent_id,
        text: r.text,
        ts: Number(r.ts),
      }));
    },
  };
}
