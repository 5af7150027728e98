import { expect, it } from 'vitest';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('site queries', (t) => {
  it('upserts sites', async () => {
    await t.store.upsertSite('demo', { title: 'A' }, 1);
    await t.store.upsertSite('demo', { title: 'B' }, 2);
    expect(await t.store.getSite('demo')).toEqual({
      key: 'demo',
      settings: { title: 'B' },
      updatedAt: 2,
    });
    expect((await t.store.listSites()).map((s) => s.key)).toEqual(['demo']);
  });

  it('inserts a site only under a key no site has, leaving the first settings', async () => {
    expect(await t.store.insertSite('demo', { title: 'A' }, 1)).toBe(true);
    expect(await t.store.insertSite('demo', { title: 'B' }, 2)).toBe(false);
    expect(await t.store.getSite('demo')).toEqual({
      key: 'demo',
      settings: { title: 'A' },
      updatedAt: 1,
    });
    // Two at once: exactly one stores its settings.
    const both = await Promise.all([
      t.store.insertSite('twin', { title: 'C' }, 3),
      t.store.insertSite('twin', { title: 'D' }, 4),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect((await t.store.getSite('twin'))?.settings).toEqual({ title: both[0] ? 'C' : 'D' });
  });
});
