// An assignment that would have taken a conversation over silently: the assign form carries the
// assignee the page showed, and when a colleague was assigned since, the post is refused and the
// conversation says so here, naming them, with a form that takes it over knowingly.
import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import { fillMessage } from './list-messages.js';

const de = {
  assignRefused:
    'Dieses Gespräch ist inzwischen {agent} zugewiesen. Es wurde Ihnen nicht zugewiesen.',
  unassignRefused:
    'Dieses Gespräch ist inzwischen {agent} zugewiesen. Die Zuweisung bleibt, wie sie ist.',
  takeOver: 'Trotzdem mir zuweisen',
};

/** The assignment notice's copy in one language. */
export type AssignNoticeMessages = typeof de;

const en: AssignNoticeMessages = {
  assignRefused:
    'This conversation has been assigned to {agent} in the meantime. It was not assigned to you.',
  unassignRefused:
    'This conversation has been assigned to {agent} in the meantime. The assignment stays as it is.',
  takeOver: 'Assign to me anyway',
};

const catalogs: Record<PageLocale, AssignNoticeMessages> = { de, en };

/** What a refused assign post wanted: to assign the agent, or to unassign them. */
export type RefusedAssignment = 'assign' | 'unassign';

/** The `?refused=` of the conversation page a refused assign post leads back to. */
export function readRefusedAssignment(value: string | undefined): RefusedAssignment | undefined {
  return value === 'assign' || value === 'unassign' ? value : undefined;
}

/**
 * The notice of a refused assignment on the conversation page, while the conversation is still
 * assigned to someone other than the agent (else there is nothing left to say); the take-over form
 * posts `takeover=1`.
 */
export function assignNotice(options: {
  refused: RefusedAssignment | undefined;
  /** The conversation's assignee now, and the signed-in agent. */
  assignee: string | null;
  agentId: string;
  /** The assignee's address (or id, for an account no longer listed). */
  assigneeName: string;
  base: string;
  csrf: string;
  locale: PageLocale;
}): SafeHtml | null {
  const { refused, assignee } = options;
  if (refused === undefined || assignee === null || assignee === options.agentId) return null;
  const m = catalogs[options.locale];
  const text = fillMessage(refused === 'assign' ? m.assignRefused : m.unassignRefused, {
    agent: options.assigneeName,
  });
  return html`<section class="card" id="assign-notice" tabindex="-1" aria-labelledby="assign-notice-text">
  <p class="error" role="alert" id="assign-notice-text">${text}</p>
  ${
    refused === 'assign'
      ? html`<form method="post" action="${options.base}/assign">
    <input type="hidden" name="_csrf" value="${options.csrf}">
    <input type="hidden" name="agent" value="${options.agentId}">
    <input type="hidden" name="assigned" value="${assignee}">
    <input type="hidden" name="takeover" value="1">
    <button type="submit">${m.takeOver}</button>
  </form>`
      : null
  }
</section>`;
}
