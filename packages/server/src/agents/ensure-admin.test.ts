import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError } from '../options.js';
import type { Store } from '../store/store.js';
import { describeStores } from '../test-support/stores.js';
import { ensureAdmin } from './ensure-admin.js';
import { verifyPassword } from './password.js';

describeStores('the first admin', (target) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const lines: string[] = [];
  const warnings: string[] = [];
  const logger = {
    info: (m: string) => lines.push(m),
    warn: (m: string) => warnings.push(m),
    error() {},
  };
  beforeEach(async () => {
    ({ store, cleanup } = await target.open());
    lines.length = 0;
    warnings.length = 0;
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it.each([
    [
      { email: 'admin@example.com', password: 'abc' },
      '[lotse] LOTSE_ADMIN_PASSWORD: must be at least 12 characters (it has 3), as every password set by invitation, reset or the CLI; set a longer one, or unset it to have one generated and printed once',
    ],
    [
      { email: 'not-an-email', password: undefined },
      '[lotse] LOTSE_ADMIN_EMAIL=not-an-email: the first admin signs in with this address, so it must be an e-mail address such as admin@example.com; unset it for admin@example.com',
    ],
    [{ email: 'admin @example.com', password: undefined }, 'LOTSE_ADMIN_EMAIL=admin @example.com:'],
    [{ email: 'ädmin@example.com', password: undefined }, 'LOTSE_ADMIN_EMAIL=ädmin@example.com:'],
  ])('refuses %o, which no one could sign in with, and creates no one', async (admin, message) => {
    const created = ensureAdmin(store, admin, logger);
    await expect(created).rejects.toThrow(ConfigError);
    await expect(created).rejects.toThrow(message);
    expect(await store.countAgents()).toBe(0);
  });

  it('creates an admin with a long enough password, at an address the login form takes', async () => {
    for (const email of ['admin@localhost', 'ops+lotse@support.example.com']) {
      expect(await ensureAdmin(store, { email, password: 'twelve chars' }, logger)).toBeUndefined();
      const agent = await store.getAgentByEmail(email);
      expect(agent?.role).toBe('admin');
      expect(await verifyPassword('twelve chars', agent!.passwordHash)).toBe(true);
      await store.close();
      await cleanup();
      ({ store, cleanup } = await target.open());
    }
  });

  it('says once which command changes a generated password, as no page does', async () => {
    const password = await ensureAdmin(
      store,
      { email: 'admin@example.com', password: undefined },
      logger,
    );
    expect(password).toBeTypeOf('string');
    expect(lines).toEqual([
      `created the first admin admin@example.com with the password ${password} (shown once). No page changes a password: change it from this directory, with the same DATABASE_URL and LOTSE_DATA_DIR, by node packages/server/dist/cli.js reset-password --email admin@example.com --password '<new password, ≥ 12 characters>' (or lotse-server reset-password … where Lotse is installed as a package)`,
    ]);
    // Only at the first start.
    expect(
      await ensureAdmin(store, { email: 'admin@example.com', password: undefined }, logger),
    ).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it('only warns about an admin setting it would refuse once agents exist, as it is not used then', async () => {
    await ensureAdmin(store, { email: 'admin@example.com', password: 'long enough!' }, logger);
    // An installation upgraded with the settings of its first start, allowed then.
    const upgraded = { email: 'not-an-email', password: 'changeme' };
    expect(await ensureAdmin(store, upgraded, logger)).toBeUndefined();
    expect(warnings).toEqual([
      'LOTSE_ADMIN_EMAIL=not-an-email is ignored, as agents exist already and it only sets up the first admin; a first start would refuse it: the first admin signs in with this address, so it must be an e-mail address such as admin@example.com. Unset LOTSE_ADMIN_EMAIL',
      'LOTSE_ADMIN_PASSWORD is ignored, as agents exist already and it only sets up the first admin; a first start would refuse it: must be at least 12 characters (it has 8), as every password set by invitation, reset or the CLI. Unset LOTSE_ADMIN_PASSWORD',
    ]);
    expect(warnings.join('\n')).not.toContain('changeme');
    expect((await store.listAgents()).map((a) => a.email)).toEqual(['admin@example.com']);
    // A usable setting is simply not used: nothing to warn about.
    warnings.length = 0;
    await ensureAdmin(store, { email: 'ops@example.com', password: undefined }, logger);
    expect(warnings).toEqual([]);
  });
});
