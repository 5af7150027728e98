import type { HandoffRow } from '../store/store.js';

/** What the server tells people about conversations (e-mail, webhooks); every method never throws. */
export interface Notifier {
  /** A visitor handed off: tell the agents. */
  handoffCreated(handoff: HandoffRow): Promise<void>;
  /** An agent replied: tell the visitor. */
  agentReplied(handoff: HandoffRow, text: string): Promise<void>;
  /**
   * A visitor wrote again after an agent's reply or the close (a message that needs someone, not
   * only thanks): tell the conversation's assignee, or the team when nobody has taken it.
   */
  visitorWrote(handoff: HandoffRow, text: string): Promise<void>;
  /** A conversation passed its promised response time without a reply: tell the agents. */
  handoffOverdue(handoff: HandoffRow): Promise<void>;
  /** Waits for queued deliveries (tests), retries included. */
  settled(): Promise<void>;
  /**
   * Shutdown: a delivery waiting to be retried gives up now (and logs it), the others finish; resolves
   * when none is left.
   */
  close(): Promise<void>;
}

/** A notifier that tells nobody (no SMTP and no webhook configured). */
export const silentNotifier: Notifier = {
  async handoffCreated() {},
  async agentReplied() {},
  async visitorWrote() {},
  async handoffOverdue() {},
  async settled() {},
  async close() {},
};
