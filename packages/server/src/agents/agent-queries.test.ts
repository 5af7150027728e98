import { expect, it } from 'vitest';
import { agentRow } from '../test-support/fixtures.js';
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
});
