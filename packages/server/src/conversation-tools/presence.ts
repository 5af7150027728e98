// The collision warning: opening a conversation records the agent's presence; when colleagues opened
// it within the last minutes, the page says who and when.
import type { AppDeps } from '../http/deps.js';
import { time } from '../inbox/inbox-format.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import { toolsMessagesFor } from './conversation-tools-messages.js';

/**
 * How long an opened conversation counts as open: without live updates the page cannot tell when a
 * colleague leaves, and ten minutes cover writing a reply (pages reload after every post, which
 * renews the mark).
 */
export const PRESENCE_WINDOW_MS = 10 * 60_000;

/**
 * Records that `agentId` opens the conversation now and returns the warning naming the colleagues
 * who opened it within {@link PRESENCE_WINDOW_MS}, or null when nobody else did.
 */
export async function collisionWarning(
  deps: AppDeps,
  options: {
    handoffId: string;
    agentId: string;
    /** Agents' e-mails by id. */
    emails: ReadonlyMap<string, string>;
    locale: PageLocale;
    timeZone: string;
  },
): Promise<SafeHtml | null> {
  const now = deps.now();
  const others = (
    await deps.store.presentSince(options.handoffId, now - PRESENCE_WINDOW_MS)
  ).filter((p) => p.agentId !== options.agentId);
  await deps.store.recordPresence(options.handoffId, options.agentId, now);
  if (others.length === 0) return null;
  const tt = toolsMessagesFor(options.locale);
  const agents = others
    .map((p) =>
      fill(tt.openedAt, {
        agent: options.emails.get(p.agentId) ?? p.agentId,
        time: time(p.seenAt, options.locale, options.timeZone),
      }),
    )
    .join(', ');
  return html`<p class="collision" role="status">${fill(tt.collision, {
    agents,
    verb: others.length === 1 ? tt.collisionOne : tt.collisionMany,
  })}</p>`;
}
