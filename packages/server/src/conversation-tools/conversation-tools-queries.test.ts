import { expect, it } from 'vitest';
import type { ModelRegistry } from '../kb/model-registry.js';
import type { HandoffRow } from '../store/store.js';
import { describeOpenStores } from '../test-support/stores.js';
import { mentions } from './hand-over.js';
import { playbookFollowed } from './playbook-followed.js';

const handoff = (id: string, topic: string | null): HandoffRow => ({
  id,
  siteKey: 'demo',
  ticketId: `T-${id}`,
  tokenHash: `hash-${id}`,
  tokenNonce: `nonce-${id}`,
  requestHash: `request-${id}`,
  email: 'eva@example.com',
  anonymousId: null,
  sessionId: null,
  conversationId: null,
  locale: 'de',
  message: 'Wo ist mein Paket?',
  transcript: [],
  classification: { level: 2, signals: [], confidence: 0.5, reasons: [] },
  level: 2,
  topic,
  status: 'open',
  createdAt: 1_764_000_000_000,
  respondWithinMinutes: 240,
  respondBy: '2025-11-24T10:00:00.000Z',
  clientHash: null,
  userId: null,
});

/** A served model with two topics: shipping (three steps) and returns (none). */
const models = {
  get: () => ({
    etag: '"queries-test"',
    json: JSON.stringify({
      site: {
        topics: {
          shipping: { playbook: { de: ['a', 'b', 'c'], en: ['A', 'B', 'C'] } },
          returns: {},
        },
      },
    }),
  }),
} as unknown as ModelRegistry;

describeOpenStores('conversation tools queries', (t) => {
  it('saves, lists by title, changes and deletes snippets', async () => {
    const base = { siteKey: 'demo', locale: null, updatedBy: 'a@example.com', updatedAt: 1 };
    await t.store.saveSnippet({ ...base, id: 's2', title: 'Versand', text: 'Wir prüfen das.' });
    await t.store.saveSnippet({ ...base, id: 's1', title: 'Danke', text: 'Danke!', locale: 'de' });
    await t.store.saveSnippet({ ...base, id: 's3', siteKey: 'other', title: 'X', text: 'x' });
    expect((await t.store.listSnippets('demo')).map((s) => s.id)).toEqual(['s1', 's2']);
    await t.store.saveSnippet({ ...base, id: 's2', title: 'Aaa', text: 'neu', updatedAt: 5 });
    expect(await t.store.getSnippet('s2')).toEqual({
      ...base,
      id: 's2',
      title: 'Aaa',
      text: 'neu',
      updatedAt: 5,
    });
    expect((await t.store.listSnippets('demo')).map((s) => s.id)).toEqual(['s2', 's1']);
    expect(await t.store.deleteSnippet('s2')).toBe(true);
    expect(await t.store.deleteSnippet('s2')).toBe(false);
    expect(await t.store.getSnippet('s2')).toBeUndefined();
  });

  it('replaces a snippet only while it is the version the change was made over', async () => {
    const read = {
      id: 's1',
      siteKey: 'demo',
      title: 'Versand',
      text: 'Wir prüfen das.',
      locale: null,
      updatedBy: 'a@example.com',
      updatedAt: 1,
    };
    await t.store.saveSnippet(read);
    const ann = { ...read, text: 'Anns Text', updatedBy: 'ann@example.com', updatedAt: 2 };
    const ben = { ...read, text: 'Bens Text', updatedBy: 'ben@example.com', updatedAt: 2 };
    // Both read the same version; the first save wins, the second changes nothing.
    expect(await t.store.replaceSnippet(ann, read)).toBe(true);
    expect(await t.store.replaceSnippet(ben, read)).toBe(false);
    expect(await t.store.getSnippet('s1')).toEqual(ann);
    // Over what is stored now it goes through, also for a language and within one millisecond.
    const withLocale = { ...ben, locale: 'de' };
    expect(await t.store.replaceSnippet(withLocale, ann)).toBe(true);
    expect(
      await t.store.replaceSnippet({ ...withLocale, text: 'x' }, { ...withLocale, locale: 'en' }),
    ).toBe(false);
    expect(await t.store.replaceSnippet({ ...withLocale, text: 'y' }, withLocale)).toBe(true);
    expect(await t.store.replaceSnippet(ann, { ...read, id: 'gone' })).toBe(false);
    expect(await t.store.getSnippet('gone')).toBeUndefined();
  });

  it('keeps who ticked a step and when while it stays ticked, and removes unticked steps', async () => {
    await t.store.insertHandoff(handoff('h1', 'shipping'));
    await t.store.setTicks(
      'h1',
      [
        { step: 0, stepText: 'a' },
        { step: 2, stepText: 'c' },
      ],
      'ann',
      100,
    );
    await t.store.setTicks(
      'h1',
      [
        { step: 0, stepText: 'a' },
        { step: 1, stepText: 'b' },
      ],
      'bob',
      200,
    );
    expect(await t.store.listTicks('h1')).toEqual([
      { handoffId: 'h1', step: 0, stepText: 'a', agentId: 'ann', ts: 100 },
      { handoffId: 'h1', step: 1, stepText: 'b', agentId: 'bob', ts: 200 },
    ]);
    await t.store.setTicks('h1', [], 'bob', 300);
    expect(await t.store.listTicks('h1')).toEqual([]);
  });

  it('measures "playbook followed" per conversation and over all of them', async () => {
    await t.store.insertHandoff(handoff('h1', 'shipping'));
    await t.store.insertHandoff(handoff('h2', 'shipping'));
    await t.store.insertHandoff(handoff('h3', 'returns'));
    await t.store.insertHandoff(handoff('h4', null));
    await t.store.setTicks(
      'h1',
      [0, 1, 2].map((step) => ({ step, stepText: 'x' })),
      'ann',
      1,
    );
    // A tick beyond today's playbook (it was shortened) does not count.
    await t.store.setTicks(
      'h2',
      [1, 7].map((step) => ({ step, stepText: 'x' })),
      'ann',
      1,
    );
    await t.store.setTicks('h3', [{ step: 0, stepText: 'x' }], 'ann', 1);
    const handoffs = (await t.store.listHandoffs()).sort((a, b) => (a.id < b.id ? -1 : 1));
    const result = await playbookFollowed({ store: t.store, models }, handoffs);
    expect(result.conversations).toEqual([
      { handoffId: 'h1', steps: 3, ticked: 3, share: 1 },
      { handoffId: 'h2', steps: 3, ticked: 1, share: 1 / 3 },
    ]);
    expect(result.share).toBeCloseTo(4 / 6, 10);
    expect((await playbookFollowed({ store: t.store, models }, [])).share).toBeNull();
  });

  it('records presence and lists the agents seen since a time, newest first', async () => {
    await t.store.insertHandoff(handoff('h1', 'shipping'));
    await t.store.recordPresence('h1', 'ann', 100);
    await t.store.recordPresence('h1', 'bob', 200);
    await t.store.recordPresence('h1', 'ann', 300);
    expect(await t.store.presentSince('h1', 150)).toEqual([
      { agentId: 'ann', seenAt: 300 },
      { agentId: 'bob', seenAt: 200 },
    ]);
    expect(await t.store.presentSince('h1', 301)).toEqual([]);
  });

  it('finds the notes that mention an address, whatever its case and LIKE wildcards', async () => {
    await t.store.insertHandoff(handoff('h1', 'shipping'));
    const note = (id: string, text: string, ts: number) =>
      t.store.insertNote({ id, handoffId: 'h1', agentId: 'ann', text, ts });
    await note('n1', 'Bitte übernehmen, @Bo_b@Example.com', 1);
    await note('n2', '@bo_b@example.com.au ist jemand anderes', 2);
    await note('n3', '@boxb@example.com: underscore is not a wildcard', 3);
    await note('n4', 'ohne Erwähnung', 4);
    const found = await t.store.notesMentioning('bo_b@example.com', 10);
    expect(found.map((n) => n.id)).toEqual(['n2', 'n1']);
    expect(found.filter((n) => mentions(n.text, 'bo_b@example.com')).map((n) => n.id)).toEqual([
      'n1',
    ]);
  });
});

it('tells a mention from a longer address', () => {
  expect(mentions('@ann@example.com bitte', 'ann@example.com')).toBe(true);
  expect(mentions('Frage an @ann@example.com.', 'ann@example.com')).toBe(true);
  expect(mentions('@ANN@example.com', 'ann@example.com')).toBe(true);
  expect(mentions('@ann@example.com.au', 'ann@example.com')).toBe(false);
  expect(mentions('@ann@example.community', 'ann@example.com')).toBe(false);
  expect(mentions('ann@example.com', 'ann@example.com')).toBe(false);
});
