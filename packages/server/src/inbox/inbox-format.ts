// How the inbox shows a conversation: response-time state, triage, transcript, times and tags;
// the limits and tag rules its forms share.

import { html, type SafeHtml } from '../pages/html.js';
import type { Messages } from '../pages/i18n.js';
import type { ListedHandoff } from './inbox-queries.js';

/**
 * Response-time state of a conversation in the inbox: `waiting` = answered, and the visitor wrote
 * again after the newest agent reply.
 */
export type ResponseState = 'due' | 'overdue' | 'waiting' | 'answered' | 'closed';

/** Longest agent reply, as for visitor messages. */
export const MAX_REPLY_LENGTH = 10_000;

/** Longest internal note: as long as a reply, which it often drafts or explains. */
export const MAX_NOTE_LENGTH = 10_000;

/**
 * A textarea's text as the agent typed it: line breaks as LF, trimmed. A browser submits each line
 * break as CRLF (HTML's form encoding) while `maxlength` counts it as one character, so a text the
 * box accepted would be refused, and stored with CRs the transcript and mails do not expect; a lone
 * CR (old Mac line ends, pasted) becomes LF too.
 */
export function textareaText(value: string | null | undefined): string {
  return (value ?? '').replace(/\r\n?/g, '\n').trim();
}

/** Tags per conversation and characters per tag (issue 15: short labels, not prose). */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 40;

/** A tag as stored and filtered on: trimmed, NFC (one spelling for "café"), lower-cased. */
export function normaliseTag(text: string): string {
  return text.trim().normalize('NFC').toLowerCase();
}

/** The tags of a comma-separated field, distinct and normalised; an error names what is wrong. */
export function parseTags(
  field: string,
): { ok: true; tags: string[] } | { ok: false; message: string } {
  const tags = [...new Set(field.split(',').map(normaliseTag))].filter((tag) => tag !== '');
  if (tags.length > MAX_TAGS) return { ok: false, message: `tags: at most ${MAX_TAGS} tags` };
  // Characters as people count them (code points), so an emoji is one, not two UTF-16 units.
  if (tags.some((tag) => [...tag].length > MAX_TAG_LENGTH)) {
    return { ok: false, message: `tags: each tag at most ${MAX_TAG_LENGTH} characters` };
  }
  return { ok: true, tags };
}

/** The tags the sites suggest (one site's, or every site's), normalised, distinct and sorted. */
export function suggestedTagsOf(
  sites: readonly { key: string; settings: { suggestedTags?: string[] | undefined } }[],
  siteKey = '',
): string[] {
  const tags = sites
    .filter((s) => siteKey === '' || s.key === siteKey)
    .flatMap((s) => s.settings.suggestedTags ?? [])
    .map(normaliseTag);
  return [...new Set(tags)].filter((tag) => tag !== '').sort();
}

/**
 * Where a conversation stands against the promised response time (`respondBy`) and the visitor's
 * follow-ups; the list's SQL (`searchHandoffs`) orders and filters by the same rule.
 */
export function responseState(h: ListedHandoff, now: number): ResponseState {
  if (h.status === 'closed') return 'closed';
  if (h.firstReplyAt !== null) return h.waitingSince === null ? 'answered' : 'waiting';
  return now > Date.parse(h.respondBy) ? 'overdue' : 'due';
}

export const stateOrder: Record<ResponseState, number> = {
  overdue: 0,
  due: 1,
  waiting: 2,
  answered: 3,
  closed: 4,
};

/**
 * Since when the visitor has waited, from a conversation's messages: their oldest message after the
 * newest agent reply that does not only thank, null without one (as `waitingSince` of the list's
 * SQL; a message in the same millisecond as a reply counts as answered by it).
 */
export function waitingSinceOf(
  messages: readonly { from: 'visitor' | 'agent'; ts: number; thanksOnly?: boolean }[],
): number | null {
  const replies = messages.filter((m) => m.from === 'agent').map((m) => m.ts);
  if (replies.length === 0) return null;
  const newestReply = Math.max(...replies);
  const waiting = messages.filter(
    (m) => m.from === 'visitor' && m.thanksOnly !== true && m.ts > newestReply,
  );
  return waiting.length === 0 ? null : Math.min(...waiting.map((m) => m.ts));
}

export interface Classification {
  signals: string[];
  reasons: string[];
  confidence: number | undefined;
}

export function classificationOf(value: unknown): Classification {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const strings = (x: unknown) =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
  return {
    signals: strings(v.signals),
    reasons: strings(v.reasons),
    confidence: typeof v.confidence === 'number' ? v.confidence : undefined,
  };
}

export interface Line {
  from: 'visitor' | 'bot' | 'agent' | 'note';
  text: string;
  ts: number;
  /** Who wrote a note (the agent's e-mail). */
  by?: string;
}

export function transcriptOf(value: unknown): Line[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((l: unknown) => {
    const x = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
    if (typeof x.text !== 'string') return [];
    return [
      {
        from: x.from === 'bot' ? 'bot' : 'visitor',
        text: x.text,
        ts: typeof x.ts === 'number' ? x.ts : 0,
      } as Line,
    ];
  });
}

export function time(ts: number | string, locale: string, timeZone: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

export function stateLabel(t: Messages, s: ResponseState): string {
  return t[s];
}

/**
 * The list's and the facts' "respond by": the promised time, or for a waiting conversation (whose
 * promised time was for the first reply) since when the visitor waits, both in the site's zone.
 */
export function dueText(
  t: Messages,
  h: ListedHandoff,
  state: ResponseState,
  locale: string,
  timeZone: string,
): SafeHtml | string {
  if (state !== 'waiting' || h.waitingSince === null) return time(h.respondBy, locale, timeZone);
  const since = new Date(h.waitingSince).toISOString();
  return html`${t.waitingSince} <time datetime="${since}">${time(h.waitingSince, locale, timeZone)}</time>`;
}

/** Tags as links to the list filtered by each, or a dash. */
export function tagList(t: Messages, tags: readonly string[]) {
  if (tags.length === 0) return t.none;
  return html`<ul class="tags">${tags.map((tag) => html`<li><a href="/inbox/?tag=${encodeURIComponent(tag)}">${tag}</a></li>`)}</ul>`;
}
