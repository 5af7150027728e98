import { expect, it } from 'vitest';
import { agentRow, handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('agent queries', (t) => {
  it('inserts an agent once per e-mail, whatever its case', async () => {
    const agent = agentRow({ email: 'Admin@Example.com', passwordHash: 'x', role: 'admin' });
    expect(await t.store.insertAgent(agent)).toBe(true);
    expect(await t.store.insertAgent({ ...agent, id: 'a2' })).toBe(false);
    expect(await t.store.countAgents()).toBe(1);
    expect((await t.store.getAgentByEmail('admin@example.com'))?.id).toBe('a1');
  });

  it('finds agents by id and changes passwords by e-mail', async () => {
    await t.store.insertAgent(agentRow());
    expect((await t.store.getAgentById('a1'))?.email).toBe('ina@example.com');
    expect(await t.store.setAgentPassword('INA@example.com', 'scrypt$new')).toBe(true);
    expect((await t.store.getAgentByEmail('ina@example.com'))?.passwordHash).toBe('scrypt$new');
    expect(await t.store.setAgentPassword('nobody@example.com', 'x')).toBe(false);
    expect((await t.store.listAgents()).map((a) => a.id)).toEqual(['a1']);
  });

  it('keeps at least one active admin, also when two admins demote each other at once', async () => {
    await t.store.insertAgent(agentRow({ id: 'ad1', email: 'ada@example.com', role: 'admin' }));
    expect(await t.store.changeAgent('ad1', { role: 'agent' }, 5)).toEqual({
      ok: false,
      code: 'last_admin',
    });
    expect(await t.store.changeAgent('ad1', { deactivatedAt: 5 }, 5)).toEqual({
      ok: false,
      code: 'last_admin',
    });
    expect(await t.store.changeAgent('nobody', { role: 'agent' }, 5)).toEqual({
      ok: false,
      code: 'not_found',
    });
    await t.store.insertAgent(agentRow({ id: 'ad2', email: 'bo@example.com', role: 'admin' }));
    const both = await Promise.all([
      t.store.changeAgent('ad1', { role: 'editor' }, 5),
      t.store.changeAgent('ad2', { deactivatedAt: 5 }, 5),
    ]);
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    const admins = (await t.store.listAgents()).filter(
      (a) => a.role === 'admin' && a.deactivatedAt === undefined,
    );
    expect(admins).toHaveLength(1);
  });

  it('deactivates with its sessions and links gone, keeps the first time, and reactivates', async () => {
    await t.store.insertAgent(agentRow({ id: 'ad1', email: 'ada@example.com', role: 'admin' }));
    await t.store.insertAgent(agentRow());
    for (const idHash of ['s1', 's2']) {
      await t.store.insertSession({
        idHash,
        agentId: 'a1',
        csrf: 'c',
        createdAt: 0,
        expiresAt: 99,
      });
    }
    await t.store.insertInvitation({
      tokenHash: 'link',
      email: 'ina@example.com',
      role: 'agent',
      kind: 'reset',
      createdAt: 0,
      expiresAt: 99,
      usedAt: null,
    });
    const open = await t.store.insertHandoff(handoffRow());
    const closed = await t.store.insertHandoff(handoffRow({ status: 'closed' }));
    for (const h of [open, closed]) await t.store.updateHandoff(h.handoff.id, { assignee: 'a1' });

    const done = await t.store.changeAgent('a1', { deactivatedAt: 7 }, 7);
    expect(done).toMatchObject({ ok: true, agent: { id: 'a1', deactivatedAt: 7 } });
    expect(done.ok && [...done.endedSessions].sort()).toEqual(['s1', 's2']);
    expect(await t.store.getSession('s1', 1)).toBeUndefined();
    expect(await t.store.getInvitation('link', 1)).toBeUndefined();
    // The history stays: the assignments (open and closed) are still the agent's.
    expect((await t.store.getHandoff(open.handoff.id))?.assignee).toBe('a1');
    expect((await t.store.getHandoff(closed.handoff.id))?.assignee).toBe('a1');
    expect(await t.store.countOpenOfDeactivated()).toEqual(new Map([['a1', 1]]));

    // Again, or with another role: still deactivated since 7; a new password does not reactivate.
    await t.store.changeAgent('a1', { deactivatedAt: 9 }, 9);
    await t.store.changeAgent('a1', { role: 'editor' }, 9);
    expect(await t.store.setAgentPassword('ina@example.com', 'scrypt$new')).toBe(true);
    expect(await t.store.getAgentById('a1')).toMatchObject({ role: 'editor', deactivatedAt: 7 });
    // A session inserted meanwhile (a sign-in racing the deactivation) is not accepted.
    await t.store.insertSession({
      idHash: 's3',
      agentId: 'a1',
      csrf: 'c',
      createdAt: 0,
      expiresAt: 99,
    });
    expect(await t.store.getSession('s3', 1)).toBeUndefined();

    expect(await t.store.changeAgent('a1', { deactivatedAt: null }, 10)).toMatchObject({
      ok: true,
      endedSessions: [],
    });
    const back = await t.store.getAgentById('a1');
    expect(back?.role).toBe('editor');
    expect(back).not.toHaveProperty('deactivatedAt');
    expect((await t.store.getSession('s3', 1))?.agent.id).toBe('a1');
    expect(await t.store.countOpenOfDeactivated()).toEqual(new Map());
  });
});
