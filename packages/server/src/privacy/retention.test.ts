import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError, silentLogger } from '../options.js';
import type { Store } from '../store/store.js';
import { eventRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';
import { applyRetention, startRetention } from './retention.js';

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

  it('refuses fewer than 1 day rather than deleting events seconds old', async () => {
    const now = Date.now();
    const fresh = eventRow({ receivedAt: now - 5_000 });
    await store.insertEvents([fresh]);
    for (const days of [0, 0.5, -1]) {
      await expect(applyRetention(store, days, now)).rejects.toThrow(ConfigError);
      expect(() =>
        startRetention({ store, logger: silentLogger, days, intervalMs: 1, now: () => now }),
      ).toThrow(`[lotse] LOTSE_RETENTION_DAYS=${days}: must be a whole number ≥ 1`);
    }
    expect((await store.listEvents()).map((e) => e.id)).toEqual([fresh.id]);
  });
});
