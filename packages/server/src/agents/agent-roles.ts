import type { AgentRole, AgentRow } from '../store/store.js';

/** Every role an admin may give, least privileged first (the order of the admin page's choices). */
export const AGENT_ROLES: readonly AgentRole[] = ['agent', 'editor', 'reviewer', 'admin'];

/**
 * Whether a posted value is one of the four roles. Forms are checked with this and refused
 * otherwise; `agentRole` (store) reads stored values leniently instead.
 */
export function isAgentRole(value: unknown): value is AgentRole {
  return typeof value === 'string' && (AGENT_ROLES as readonly string[]).includes(value);
}

/**
 * Whether a value can be an account's address: no space, one "@" with text on both sides. Loose
 * on purpose (`admin@localhost` is an agent); the invitation and the CLI check it so.
 */
export function isAgentAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value);
}

/**
 * The account that takes a conversation (an assignment, a hand-over), or why it cannot: it does
 * not exist or is deactivated.
 */
export function takerOf(agent: AgentRow | undefined): { agent: AgentRow } | { refused: string } {
  if (agent === undefined) return { refused: 'agent: no such agent' };
  return agent.deactivatedAt === undefined
    ? { agent }
    : { refused: 'agent: this account is deactivated' };
}
