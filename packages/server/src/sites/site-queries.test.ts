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
});
