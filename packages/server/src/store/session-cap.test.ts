import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { deriveDirtySessions, deriveStored } from '../dashboard/pre-aggregate.js';
import { eventRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';
import { createPostgresStore } from './postgres-store.js';
import { createSqliteStore } from './sqlite-store.js';
import type { EventRow, Store } from './store.js';

describeStores('session cap', (target) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const location = await target.prepare();
    cleanup = location.cleanup;
    store =
      location.databaseUrl === undefined
        ? createSqliteStore({ file: path.join(location.dataDir, 'lotse.db'), maxSessionEvents: 5 })
        : createPostgresStore({ url: location.databaseUrl, maxSessionEvents: 5 });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  const inSession = (sessionId: string, n: number): EventRow[] =>
    Array.from({ length: n }, (_, i) =>
      eventRow({ sessionId, type: 'query.submitted', ts: 1_764_000_000_000 + i * 1000 }),
    );

  it('refuses new events of a full session, never stores them, and still counts duplicates', async () => {
    const a = inSession('00000000-0000-4000-8000-00000000000a', 7);
    const b = inSession('00000000-0000-4000-8000-00000000000b', 1);
    expect(await store.insertEvents(a.slice(0, 4))).toEqual({ accepted: 4, duplicates: 0 });
    // The 5th of session a fits; the 6th and 7th do not; the replayed first is a duplicate.
    expect(await store.insertEvents([a[0]!, a[4]!, a[5]!, b[0]!, a[6]!])).toEqual({
      accepted: 2,
      duplicates: 1,
      overCap: [2, 4],
    });
    expect(await store.insertEvents([a[4]!])).toEqual({ accepted: 0, duplicates: 1 });
    expect(await store.countEvents()).toBe(6);
    await deriveDirtySessions(store, { hoursOf: () => undefined });
    const stored = await store.listStoredConversations('demo', 0, Number.MAX_SAFE_INTEGER);
    const kept = await store.listEventsBetween('demo', 0, Number.MAX_SAFE_INTEGER);
    expect(kept.map((e) => e.id).sort()).toEqual([...a.slice(0, 5), b[0]!].map((e) => e.id).sort());
    const order = (x: { sessionId: string; seq: number }, y: { sessionId: string; seq: number }) =>
      x.sessionId.localeCompare(y.sessionId) || x.seq - y.seq;
    expect(stored.sort(order)).toEqual(deriveStored(kept, undefined).sort(order));
    // Questions without an end: one conversation per session.
    expect(stored).toHaveLength(2);
  });

  it('counts an event sent twice in one batch once, so it takes no other event’s place', async () => {
    const a = inSession('00000000-0000-4000-8000-00000000000c', 6);
    expect(await store.insertEvents(a.slice(0, 3))).toEqual({ accepted: 3, duplicates: 0 });
    // Two places left: the 4th (sent twice) and the 5th take them; only the 6th is over the cap.
    expect(await store.insertEvents([a[3]!, a[3]!, a[4]!, a[5]!])).toEqual({
      accepted: 2,
      duplicates: 1,
      overCap: [3],
    });
    expect(await store.countEvents()).toBe(5);
  });
});
