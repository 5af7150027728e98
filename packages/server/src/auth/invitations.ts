import { randomBytes } from 'node:crypto';
import { sha256 } from '../secrets.js';
import type { AgentRole, Store } from '../store/store.js';
import type { InvitationKind } from './auth-queries.js';

/** How long an invitation or reset link stays valid: 7 days. */
export const INVITATION_TTL_MS = 7 * 86_400_000;

/** Options of {@link createInvitation}. */
export interface CreateInvitationOptions {
  store: Store;
  email: string;
  role: AgentRole;
  kind: InvitationKind;
  now: number;
  /** Origin the link points to, e.g. `https://help.example.com`. */
  baseUrl: string;
}

/**
 * Creates a one-time link at which the person sets a password (a new agent, or a reset); the store
 * keeps only the token's SHA-256.
 *
 * @example
 * const link = await createInvitation({ store, email, role: 'agent', kind: 'invite', now, baseUrl });
 */
export async function createInvitation(options: CreateInvitationOptions): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await options.store.insertInvitation({
    tokenHash: sha256(token),
    email: options.email.toLowerCase(),
    role: options.role,
    kind: options.kind,
    createdAt: options.now,
    expiresAt: options.now + INVITATION_TTL_MS,
    usedAt: null,
  });
  return `${options.baseUrl}/invite/${token}`;
}
