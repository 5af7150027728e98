import { expect, it } from 'vitest';
import { handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('inbox queries', (t) => {
  it('lists handoffs newest first and patches their inbox state', async () => {
    const older = handoffRow({ createdAt: 1 });
    const newer = handoffRow({ createdAt: 2, siteKey: 'other' });
    await t.store.insertHandoff(older);
    await t.store.insertHandoff(newer);
    expect((await t.store.listHandoffs()).map((h) => h.id)).toEqual([newer.id, older.id]);
    expect((await t.store.listHandoffs({ siteKey: 'demo' })).map((h) => h.id)).toEqual([older.id]);
    await t.store.updateHandoff(older.id, { assignee: 'a1', firstReplyAt: 5 });
    await t.store.updateHandoff(older.id, { status: 'closed', closedAt: 9 });
    const got = await t.store.getHandoff(older.id);
    expect(got).toMatchObject({ assignee: 'a1', firstReplyAt: 5, closedAt: 9, status: 'closed' });
    await t.store.updateHandoff(older.id, { assignee: null, closedAt: null, status: 'open' });
    expect(await t.store.getHandoff(older.id)).toMatchObject({
      assignee: null,
      firstReplyAt: 5,
      closedAt: null,
      status: 'open',
    });
    expect((await t.store.listHandoffs({ status: 'open' })).length).toBe(2);
    // Only while the status is the one expected: of two reopens at once, one changes the row.
    const reopen = () => t.store.updateHandoff(older.id, { status: 'open' }, { status: 'closed' });
    expect(await reopen()).toBe(false);
    expect(await t.store.updateHandoff(older.id, { status: 'closed', closedAt: 10 })).toBe(true);
    expect(await Promise.all([reopen(), reopen()])).toEqual(expect.arrayContaining([true, false]));
    expect(await t.store.getHandoff('missing')).toBeUndefined();
  });

  it('stores messages idempotently in order', async () => {
    const h = handoffRow();
    await t.store.insertHandoff(h);
    const m1 = { id: 'm1', handoffId: h.id, from: 'visitor' as const, text: 'Hallo?', ts: 2 };
    const m2 = { id: 'm2', handoffId: h.id, from: 'agent' as const, text: 'Guten Tag', ts: 3 };
    await t.store.insertMessage(m2);
    expect(await t.store.insertMessage(m1)).toEqual({ inserted: true, message: m1 });
    expect(await t.store.insertMessage({ ...m1, text: 'changed' })).toEqual({
      inserted: false,
      message: m1,
    });
    expect(await t.store.listMessages(h.id)).toEqual([m1, m2]);
  });

  it('keeps notes apart from the messages, oldest first', async () => {
    const h = handoffRow();
    await t.store.insertHandoff(h);
    const later = { id: 'n2', handoffId: h.id, agentId: 'a1', text: 'Rückruf vereinbart', ts: 5 };
    const first = { id: 'n1', handoffId: h.id, agentId: 'a2', text: 'Kunde verärgert', ts: 4 };
    await t.store.insertNote(later);
    await t.store.insertNote(first);
    expect(await t.store.listNotes(h.id)).toEqual([first, later]);
    expect(await t.store.listMessages(h.id)).toEqual([]);
  });

  it('replaces tags, filters handoffs by tag and reads the tags of many handoffs', async () => {
    const a = handoffRow({ createdAt: 1 });
    const b = handoffRow({ createdAt: 2 });
    await t.store.insertHandoff(a);
    await t.store.insertHandoff(b);
    await t.store.setTags(a.id, ['versand', 'dringend']);
    await t.store.setTags(b.id, ['versand']);
    await t.store.setTags(a.id, ['dringend', 'rückruf']);
    expect((await t.store.listHandoffs({ tag: 'versand' })).map((h) => h.id)).toEqual([b.id]);
    expect((await t.store.listHandoffs({ tag: 'rückruf' })).map((h) => h.id)).toEqual([a.id]);
    expect(await t.store.listHandoffs({ tag: 'nothing' })).toEqual([]);
    expect(await t.store.tagsOf([a.id, b.id, 'missing'])).toEqual(
      new Map([
        [a.id, ['dringend', 'rückruf']],
        [b.id, ['versand']],
      ]),
    );
    // By code point on both stores, whatever collation a PostgreSQL database was created with.
    await t.store.setTags(b.id, ['zz', 'Zebra', 'ärger', 'abc', '10', '9']);
    expect((await t.store.tagsOf([b.id])).get(b.id)).toEqual([
      '10',
      '9',
      'Zebra',
      'abc',
      'zz',
      'ärger',
    ]);
    await t.store.setTags(a.id, []);
    expect(await t.store.tagsOf([a.id])).toEqual(new Map());
  });
});
