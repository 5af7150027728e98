import { expect, it } from 'vitest';
import { handoffRow } from '../test-support/fixtures.js';
import { responseState, waitingSinceOf } from './inbox-format.js';
import type { ListedHandoff } from './inbox-queries.js';

const NOW = Date.parse('2025-11-24T09:00:00.000Z');

it('waits since the visitor’s oldest message after the newest agent reply, as the list’s SQL does', () => {
  const agent = (ts: number) => ({ from: 'agent' as const, ts });
  const visitor = (ts: number) => ({ from: 'visitor' as const, ts });
  expect(waitingSinceOf([])).toBeNull();
  // Without an agent reply the conversation is due or overdue, however often the visitor writes.
  expect(waitingSinceOf([visitor(1), visitor(2)])).toBeNull();
  expect(waitingSinceOf([visitor(1), agent(2)])).toBeNull();
  expect(waitingSinceOf([agent(1), visitor(2), visitor(3)])).toBe(2);
  expect(waitingSinceOf([agent(1), visitor(2), agent(3), visitor(5), visitor(4)])).toBe(4);
  // A message in the same millisecond as a reply counts as answered by it.
  expect(waitingSinceOf([agent(3), visitor(3)])).toBeNull();
});

it('tells waiting from answered only for an open conversation with a reply', () => {
  const base: ListedHandoff = {
    ...handoffRow({ respondBy: new Date(NOW - 1).toISOString() }),
    assignee: null,
    firstReplyAt: null,
    closedAt: null,
    waitingSince: null,
  };
  const state = (patch: Partial<ListedHandoff>) => responseState({ ...base, ...patch }, NOW);
  expect(state({})).toBe('overdue');
  expect(state({ firstReplyAt: 1 })).toBe('answered');
  expect(state({ firstReplyAt: 1, waitingSince: 2 })).toBe('waiting');
  expect(state({ firstReplyAt: 1, waitingSince: 2, status: 'closed' })).toBe('closed');
});
