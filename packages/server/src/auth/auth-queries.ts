// Signed-in sessions and one-time password links, the same on SQLite and PostgreSQL (Kysely). Both
// keep only a SHA-256 of what the agent holds, so a database dump signs no one in.
import type { Kysely } from 'kysely';
import { rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import type { AgentRole, AgentRow } from '../store/store.js';

/** A signed-in agent's session; the cookie holds the id, the store only its SHA-256. */
export interface SessionRow {
  idHash: string;
  agentId: string;
  /** Synchronizer token every form post of this session must carry. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** What an invitation or a password-reset link is for. */
export type InvitationKind = 'invite' | 'reset';

/** A one-time link to set a password: a new agent's invitation or a reset; the store keeps its hash. */
export interface InvitationRow {
  tokenHash: string;
  email: string;
  role: AgentRole;
  kind: InvitationKind;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Agents' sessions and the invitation and reset links. */
export interface AuthQueries {
  insertSession(row: SessionRow): Promise<void>;
  /** The unexpired session with this id hash and its agent, if the agent is not deactivated. */
  getSession(
    idHash: string,
    now: number,
  ): Promise<{ session: SessionRow; agent: AgentRow } | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Deletes expired sessions and invitations; returns how many sessions went. */
  deleteExpiredSessions(now: number): Promise<number>;
  insertInvitation(row: InvitationRow): Promise<void>;
  /** The invitation, if unused and unexpired (without using it). */
  getInvitation(tokenHash: string, now: number): Promise<InvitationRow | undefined>;
  /** Marks the invitation used, once: returns it only to the first caller before it expires. */
  useInvitation(tokenHash: string, now: number): Promise<InvitationRow | undefined>;
  /**
   * Marks every unused link of an address used: once its password is set, an older link must not
   * set it again.
   */
  voidInvitations(email: string, now: number): Promise<void>;
}

/** The session and invitation queries over a Kysely instance of either dialect. */
export function createAuthQueries(db: Kysely<LotseTables>, json: JsonCodec): AuthQueries {
  const read = rowReaders(json.read);

  return {
    async insertSession(row) {
      await db
        .insertInto('agent_sessions')
        .values({
          id_hash: row.idHash,
          agent_id: row.agentId,
          csrf: row.csrf,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
        })
        .execute();
    },
    async getSession(idHash, now) {
      const r = await db
        .selectFrom('agent_sessions as s')
        .innerJoin('agents as a', 'a.id', 's.agent_id')
        .selectAll('a')
        .select(['s.id_hash', 's.agent_id', 's.csrf', 's.created_at as s_created', 's.expires_at'])
        .where('s.id_hash', '=', idHash)
        .where('s.expires_at', '>', now)
        // Deactivation deletes the sessions; this also refuses one a sign-in made meanwhile.
        .where('a.deactivated_at', 'is', null)
        .executeTakeFirst();
      return r === undefined ? undefined : read.sessionFromRow(r);
    },
    async deleteSession(idHash) {
      await db.deleteFrom('agent_sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteExpiredSessions(now) {
      await db.deleteFrom('invitations').where('expires_at', '<=', now).execute();
      const r = await db
        .deleteFrom('agent_sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async insertInvitation(row) {
      await db
        .insertInto('invitations')
        .values({
          token_hash: row.tokenHash,
          email: row.email.toLowerCase(),
          role: row.role,
          kind: row.kind,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
          used_at: row.usedAt,
        })
        .execute();
    },
    async getInvitation(tokenHash, now) {
      const r = await db
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r === undefined ? undefined : read.invitationFromRow(r);
    },
    async useInvitation(tokenHash, now) {
      // One statement, so only the first of two concurrent callers gets the invitation.
      const r = await db
        .updateTable('invitations')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return r === undefined ? undefined : read.invitationFromRow(r);
    },
    async voidInvitations(email, now) {
      await db
        .updateTable('invitations')
        .set({ used_at: now })
        .where('email', '=', email.toLowerCase())
        .where('used_at', 'is', null)
        .execute();
    },
  };
}
