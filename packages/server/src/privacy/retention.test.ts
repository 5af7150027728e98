import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { eventRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';
import { applyRetention } from './retention.js';

describeStores('retention', (target) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await target.open());
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('deletes events received more than N days ago and keeps the rest', async () => {
    const day = 86_400_000;
    const now = 400 * day;
    const old = eventRow({ receivedAt: now - 31 * day });
    const recent = eventRow({ receivedAt: now - 29 * day });
    await store.insertEvents([old, recent]);
    expect(await applyRetention(store, 30, now)).toBe(1);
    expect((await store.listEvents()).map((e) => e.id)).toEqual([recent.id]);
  });
});
