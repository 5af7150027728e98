import type { AgentRow } from '../store/store.js';

/** What reading the agents needs: the store's agent list. */
export interface AgentsSource {
  store: { listAgents(): Promise<AgentRow[]> };
}

/** Every agent account by id (one read, for a page that names several agents). */
export async function agentsById(deps: AgentsSource): Promise<Map<string, AgentRow>> {
  return new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
}

/** Every agent's e-mail by id (a page that names agents by address). */
export async function agentEmails(deps: AgentsSource): Promise<Map<string, string>> {
  return new Map((await deps.store.listAgents()).map((a) => [a.id, a.email]));
}
