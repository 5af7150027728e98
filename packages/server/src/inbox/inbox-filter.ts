// The inbox list's filter as a URL: read leniently from the query string (a bookmark or saved view
// with an unknown value still opens), written back in one canonical order, so a filter is a URL
// and two equal filters are the same string.
import { normaliseTag } from './inbox-format.js';

/**
 * The list's response-time states: `''` = open (due, overdue, waiting, answered), `due1h` = due
 * within 1 h.
 */
export const FILTER_STATES = [
  '',
  'due',
  'due1h',
  'overdue',
  'waiting',
  'answered',
  'closed',
  'all',
] as const;
export type FilterState = (typeof FILTER_STATES)[number];

/** Longest search text and e-mail fragment kept from a URL (longer input is cut, not refused). */
export const MAX_SEARCH_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 320;

/** What the inbox list shows; `''` means "any" in every field. */
export interface InboxFilter {
  /** Free text: the visitor's message, the replies, notes, the ticket id. */
  q: string;
  /** Part of the visitor's e-mail address. */
  email: string;
  /** One tag, normalised. */
  tag: string;
  site: string;
  queue: string;
  topic: string;
  level: '' | '1' | '2' | '3';
  state: FilterState;
  /** `me`, `none` (unassigned) or an agent id. */
  agent: string;
}

/** The fields in their canonical URL order. */
const KEYS = [
  'q',
  'email',
  'tag',
  'site',
  'queue',
  'topic',
  'level',
  'state',
  'agent',
] as const satisfies readonly (keyof InboxFilter)[];

/** Cuts to `max` code points, so a cut never splits a character. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max).join('') : text;
}

/**
 * Reads a filter from the list's query parameters. `mine=1` (the list's older checkbox) reads as
 * `agent=me`.
 */
export function readInboxFilter(params: URLSearchParams): InboxFilter {
  // No filter needs a NUL, which PostgreSQL's text refuses.
  const get = (name: string) => (params.get(name) ?? '').replaceAll('\u0000', '');
  const level = get('level');
  const state = get('state');
  return {
    q: cut(get('q').trim().normalize('NFC'), MAX_SEARCH_LENGTH),
    email: cut(get('email').trim(), MAX_EMAIL_LENGTH),
    tag: cut(normaliseTag(get('tag')), MAX_SEARCH_LENGTH),
    site: cut(get('site'), 100),
    queue: cut(get('queue'), 100),
    topic: cut(get('topic'), 100),
    level: level === '1' || level === '2' || level === '3' ? level : '',
    state: (FILTER_STATES as readonly string[]).includes(state) ? (state as FilterState) : '',
    agent: cut(get('agent') || (get('mine') === '1' ? 'me' : ''), 100),
  };
}

/** The filter as a query string without `?`, in canonical order, empty fields left out. */
export function filterQuery(filter: InboxFilter): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filter[key] !== '') params.set(key, filter[key]);
  return params.toString();
}

/** A stored or typed query string in canonical form (unknown and empty fields dropped). */
export function canonicalQuery(query: string): string {
  return filterQuery(readInboxFilter(new URLSearchParams(query)));
}

/** `/inbox/` with the filter (and a page after the first). */
export function listUrl(filter: InboxFilter, page = 1): string {
  const params = new URLSearchParams(filterQuery(filter));
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query === '' ? '/inbox/' : `/inbox/?${query}`;
}
