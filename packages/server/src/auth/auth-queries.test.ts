import { expect, it } from 'vitest';
import { agentRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('auth queries', (t) => {
  it('keeps sessions until they expire or are deleted', async () => {
    await t.store.insertAgent(agentRow());
    await t.store.insertSession({
      idHash: 'h1',
      agentId: 'a1',
      csrf: 'c1',
      createdAt: 10,
      expiresAt: 100,
    });
    const found = await t.store.getSession('h1', 50);
    expect(found?.session).toEqual({
      idHash: 'h1',
      agentId: 'a1',
      csrf: 'c1',
      createdAt: 10,
      expiresAt: 100,
    });
    expect(found?.agent.email).toBe('ina@example.com');
    expect(await t.store.getSession('h1', 100)).toBeUndefined();
    expect(await t.store.getSession('other', 50)).toBeUndefined();
    expect(await t.store.deleteExpiredSessions(100)).toBe(1);
    await t.store.insertSession({
      idHash: 'h2',
      agentId: 'a1',
      csrf: 'c',
      createdAt: 10,
      expiresAt: 100,
    });
    await t.store.deleteSession('h2');
    expect(await t.store.getSession('h2', 50)).toBeUndefined();
  });

  it('hands out an invitation once and never after it expired', async () => {
    const row = {
      tokenHash: 't1',
      email: 'neu@example.com',
      role: 'agent' as const,
      kind: 'invite' as const,
      createdAt: 1,
      expiresAt: 100,
      usedAt: null,
    };
    await t.store.insertInvitation(row);
    await t.store.insertInvitation({ ...row, tokenHash: 't2' });
    expect(await t.store.getInvitation('t1', 50)).toEqual(row);
    expect(await t.store.useInvitation('t1', 50)).toEqual({ ...row, usedAt: 50 });
    expect(await t.store.useInvitation('t1', 51)).toBeUndefined();
    expect(await t.store.getInvitation('t1', 51)).toBeUndefined();
    expect(await t.store.useInvitation('t2', 100)).toBeUndefined();
  });
});
