import { expect, it } from 'vitest';
import { eventRow, handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('ingest queries', (t) => {
  it('keeps the first handoff for an id and finds it by token hash', async () => {
    const h = handoffRow();
    const first = await t.store.insertHandoff(h);
    expect(first).toEqual({ inserted: true, handoff: h });
    const again = await t.store.insertHandoff({ ...h, message: 'other', ticketId: 'T-other' });
    expect(again).toEqual({ inserted: false, handoff: h });
    expect(await t.store.getHandoffByTokenHash(h.tokenHash)).toEqual(h);
    expect(await t.store.getHandoffByTokenHash('nope')).toBeUndefined();
    await t.store.setHandoffStatus(h.id, 'closed');
    expect((await t.store.getHandoffByTokenHash(h.tokenHash))?.status).toBe('closed');
  });

  it('lists a site events by client time in a half-open range', async () => {
    const rows = [
      eventRow({ ts: 100 }),
      eventRow({ ts: 200 }),
      eventRow({ ts: 300 }),
      eventRow({ ts: 150, siteKey: 'other' }),
    ];
    await t.store.insertEvents(rows);
    const got = await t.store.listEventsBetween('demo', 100, 300);
    expect(got.map((e) => e.ts)).toEqual([100, 200]);
    expect(got[0]).toEqual(rows[0]);
  });
});
