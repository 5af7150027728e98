// The agent accounts, the same on SQLite and PostgreSQL (Kysely). E-mail addresses are stored
// lower-cased, so every look-up by e-mail ignores case.
import type { Kysely } from 'kysely';
import { rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import type { AgentRow } from '../store/store.js';

/** The agent accounts: who may sign in to the inbox, dashboard and admin pages. */
export interface AgentQueries {
  countAgents(): Promise<number>;
  /** Inserts unless the e-mail exists; returns whether it was inserted. */
  insertAgent(row: AgentRow): Promise<boolean>;
  getAgentByEmail(email: string): Promise<AgentRow | undefined>;
  getAgentById(id: string): Promise<AgentRow | undefined>;
  listAgents(): Promise<AgentRow[]>;
  /** Replaces an agent's password hash and ends their sessions; returns whether the agent exists. */
  setAgentPassword(email: string, passwordHash: string): Promise<boolean>;
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
      const rows = await db.selectFrom('agents').selectAll().orderBy('email').execute();
      return rows.map(read.agentFromRow);
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
  };
}
