import type { AgentRole } from '../store/store.js';

/** Every role an admin may give, least privileged first (the order of the admin page's choices). */
export const AGENT_ROLES: readonly AgentRole[] = ['agent', 'editor', 'reviewer', 'admin'];

/**
 * Whether a posted value is one of the four roles. Forms are checked with this and refused
 * otherwise; `agentRole` (store) reads stored values leniently instead.
 */
export function isAgentRole(value: unknown): value is AgentRole {
  return typeof value === 'string' && (AGENT_ROLES as readonly string[]).includes(value);
}
