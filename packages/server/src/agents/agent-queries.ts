// The agent accounts, the same on SQLite and PostgreSQL (Kysely). E-mail addresses are stored
// lower-cased, so every look-up by e-mail ignores case.
import type { Kysely } from 'kysely';
import { rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import { type AgentRole, type AgentRow, agentRole } from '../store/store.js';

/** A change an admin makes to an account: another role, or deactivation (its time) or reactivation (null). */
export type AgentChange = { role: AgentRole } | { deactivatedAt: number | null };

/** What {@link AgentQueries.changeAgent} did, or why it did nothing (`not_found`, `last_admin`). */
export type ChangeAgentResult =
  | {
      ok: true;
      /** The account as it is now. */
      agent: AgentRow;
      /** The id hashes of the sessions a deactivation ended (for their live streams). */
      endedSessions: string[];
    }
  | { ok: false; code: 'not_found' | 'last_admin' };

/** The agent accounts: who may sign in to the inbox, dashboard and admin pages. */
export interface AgentQueries {
  countAgents(): Promise<number>;
  /** Inserts unless the e-mail exists; returns whether it was inserted. */
  insertAgent(row: AgentRow): Promise<boolean>;
  getAgentByEmail(email: string): Promise<AgentRow | undefined>;
  getAgentById(id: string): Promise<AgentRow | undefined>;
  listAgents(): Promise<AgentRow[]>;
  /**
   * Replaces an agent's password hash and ends their sessions; returns whether the agent exists. A
   * deactivated account stays deactivated.
   */
  setAgentPassword(email: string, passwordHash: string): Promise<boolean>;
  /**
   * Gives an account another role, or deactivates or reactivates it, unless that leaves no active
   * admin (`last_admin`). Deactivating ends the account's sessions and voids its unused invitation
   * and reset links; its replies, notes, assignments and reviews stay its own. Deactivating an
   * account that is deactivated keeps its first time.
   */
  changeAgent(id: string, change: AgentChange, now: number): Promise<ChangeAgentResult>;
  /** How many open conversations each deactivated agent still has assigned (only those with any). */
  countOpenOfDeactivated(): Promise<Map<string, number>>;
}

/** The agent queries over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createAgentQueries(db: Kysely<LotseTables>, json: JsonCodec): AgentQueries {
  const read = rowReaders(json.read);

  return {
    async countAgents() {
      const r = await db
        .selectFrom('agents')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async insertAgent(a) {
      const r = await db
        .insertInto('agents')
        .values({
          id: a.id,
          email: a.email.toLowerCase(),
          password_hash: a.passwordHash,
          role: a.role,
          created_at: a.createdAt,
          deactivated_at: a.deactivatedAt ?? null,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async getAgentByEmail(email) {
      const r = await db
        .selectFrom('agents')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return r === undefined ? undefined : read.agentFromRow(r);
    },
    async getAgentById(id) {
      const r = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : read.agentFromRow(r);
    },
    async listAgents() {
      const rows = await db.selectFrom('agents').selectAll().execute();
      // By code point, the same on both stores (PostgreSQL would sort by its database's locale).
      return rows.map(read.agentFromRow).sort((a, b) => (a.email < b.email ? -1 : 1));
    },
    async setAgentPassword(email, passwordHash) {
      const r = await db
        .updateTable('agents')
        .set({ password_hash: passwordHash })
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      // A new password signs out everywhere: whoever held the old one keeps no session.
      await db
        .deleteFrom('agent_sessions')
        .where('agent_id', 'in', (q) =>
          q.selectFrom('agents').select('id').where('email', '=', email.toLowerCase()),
        )
        .execute();
      return Number(r.numUpdatedRows) === 1;
    },
    changeAgent(id, change, now) {
      return db.transaction().execute(async (tx) => {
        // First lock the active admins' rows (a write, so SQLite takes its write lock here too): of
        // two admins demoting each other at once, the second waits, then counts one admin left.
        await tx
          .updateTable('agents')
          .set((eb) => ({ role: eb.ref('role') }))
          .where('role', '=', 'admin')
          .where('deactivated_at', 'is', null)
          .execute();
        const before = await tx
          .selectFrom('agents')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (before === undefined) return { ok: false, code: 'not_found' };
        const role = 'role' in change ? change.role : agentRole(before.role);
        let deactivatedAt = before.deactivated_at;
        if ('deactivatedAt' in change) {
          deactivatedAt =
            change.deactivatedAt === null ? null : (deactivatedAt ?? change.deactivatedAt);
        }
        const wasActiveAdmin = before.role === 'admin' && before.deactivated_at === null;
        if (wasActiveAdmin && (role !== 'admin' || deactivatedAt !== null)) {
          const admins = await tx
            .selectFrom('agents')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('role', '=', 'admin')
            .where('deactivated_at', 'is', null)
            .executeTakeFirst();
          if (Number(admins?.n ?? 0) <= 1) return { ok: false, code: 'last_admin' };
        }
        await tx
          .updateTable('agents')
          .set({ role, deactivated_at: deactivatedAt })
          .where('id', '=', id)
          .execute();
        let endedSessions: string[] = [];
        if (deactivatedAt !== null) {
          const ended = await tx
            .deleteFrom('agent_sessions')
            .where('agent_id', '=', id)
            .returning('id_hash')
            .execute();
          endedSessions = ended.map((r) => r.id_hash);
          // A link handed out before must not set a password after a later reactivation.
          await tx
            .updateTable('invitations')
            .set({ used_at: now })
            .where('email', '=', before.email)
            .where('used_at', 'is', null)
            .execute();
        }
        const agent = read.agentFromRow({ ...before, role, deactivated_at: deactivatedAt });
        return { ok: true, agent, endedSessions };
      });
    },
    async countOpenOfDeactivated() {
      const rows = await db
        .selectFrom('handoffs as h')
        .innerJoin('agents as a', 'a.id', 'h.assignee')
        .select(['a.id', (eb) => eb.fn.countAll().as('n')])
        .where('a.deactivated_at', 'is not', null)
        .where('h.status', '=', 'open')
        .groupBy('a.id')
        .execute();
      return new Map(rows.map((r) => [r.id, Number(r.n)]));
    },
  };
}
