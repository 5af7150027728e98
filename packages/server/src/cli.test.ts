import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffRequest, sdkEvent } from './test-support/fixtures.js';
import { startTestServer, type TestServer } from './test-support/server.js';
import { runSource } from './test-support/spawn.js';
import { describeStores } from './test-support/stores.js';

describeStores('lotse-server export and delete', (target) => {
  let t: TestServer;
  let env: Record<string, string>;
  const anonymousId = '0b6f7d8e-2c4a-4f1b-9e3d-5a6b7c8d9e0f';

  beforeEach(async () => {
    t = await startTestServer(target);
    await t.post('/v1/handoffs', handoffRequest({ email: 'Eva@Example.com', anonymousId }));
    await t.post('/v1/events', {
      events: [sdkEvent({ anonymousId }), sdkEvent({ anonymousId }), sdkEvent()],
    });
    env = {
      LOTSE_DATA_DIR: t.dataDir,
      DATABASE_URL: target.kind === 'postgres' ? String(t.server.options.databaseUrl) : '',
    };
  });
  afterEach(async () => {
    await t.close();
  });

  it("exports one visitor's events, handoffs and messages as JSON", async () => {
    const r = await runSource('cli.ts', ['export', '--email', 'eva@example.com'], env);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.events).toHaveLength(2);
    expect(data.handoffs).toHaveLength(1);
    expect(data.handoffs[0]).toMatchObject({ email: 'Eva@Example.com', anonymousId });
    expect(data.handoffs[0]).not.toHaveProperty('tokenHash');
    const byId = JSON.parse(
      (await runSource('cli.ts', ['export', '--anonymous-id', anonymousId], env)).stdout,
    );
    expect(byId.events).toHaveLength(2);
  });

  it("deletes one visitor's data and nothing else", async () => {
    const r = await runSource('cli.ts', ['delete', '--anonymous-id', anonymousId], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      events: 2,
      handoffs: 1,
      messages: 0,
      notes: 0,
      mails: 0,
    });
    const after = JSON.parse(
      (await runSource('cli.ts', ['export', '--email', 'eva@example.com'], env)).stdout,
    );
    expect(after).toEqual({ events: [], handoffs: [], messages: [], mails: [] });
    expect(await t.server.store.countEvents()).toBe(1);
  });

  it('explains its usage on wrong arguments', async () => {
    const r = await runSource('cli.ts', ['export', '--email', 'a@b.c', '--anonymous-id', 'x'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exactly one of --email and --anonymous-id');
  });

  it.each([
    ['export', '--email', 'not-an-email', /--email: "not-an-email" is not an e-mail address/],
    ['delete', '--email', 'eva example.com', /--email: "eva example.com" is not an e-mail address/],
    ['export', '--anonymous-id', '123', /--anonymous-id: "123" is not an anonymous id.*UUID/],
    ['delete', '--anonymous-id', `${anonymousId}x`, /--anonymous-id: .* is not an anonymous id/],
  ])(
    'refuses %s %s %s, which cannot be an address or id, with exit 2',
    async (command, flag, value, message) => {
      const r = await runSource('cli.ts', [command, flag, value], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage:');
      expect(r.stdout).toBe('');
      expect(await t.server.store.countEvents()).toBe(3);
    },
  );

  it('names an unknown agent and the known ones on reset-password, with exit 1', async () => {
    const r = await runSource('cli.ts', ['reset-password', '--email', 'nobody@example.com'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /--email: there is no agent nobody@example\.com in this store \(agents: admin@example\.com\)/,
    );
    const malformed = ['reset-password', '--email', 'nobody'];
    const bad = await runSource('cli.ts', malformed, env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--email: "nobody" is not an e-mail address/);
    // An address without a dot is an agent's as the admin page invites them: looked up, not refused.
    const local = await runSource('cli.ts', ['reset-password', '--email', 'ops@intranet'], env);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('there is no agent ops@intranet in this store');
  });

  it('says where the reset link’s origin comes from when LOTSE_PUBLIC_URL is not set', async () => {
    const args = ['reset-password', '--email', 'admin@example.com'];
    const guessed = await runSource('cli.ts', args, { ...env, LOTSE_PUBLIC_URL: '', PORT: '' });
    expect(guessed.code).toBe(0);
    // stdout stays the link alone, for scripts.
    expect(guessed.stdout).toMatch(/^http:\/\/localhost:8787\/invite\/[\w-]+\n$/);
    expect(guessed.stderr).toBe(
      "lotse-server reset-password: the link starts with http://localhost:8787, made from the default port 8787 as LOTSE_PUBLIC_URL is not set. If the agent reaches the server elsewhere, run this again with LOTSE_PUBLIC_URL set to the server's public origin (e.g. LOTSE_PUBLIC_URL=https://support.example.com), or put that origin in place of http://localhost:8787.\n",
    );
    const port = await runSource('cli.ts', args, { ...env, LOTSE_PUBLIC_URL: '', PORT: '9000' });
    expect(port.stdout).toMatch(/^http:\/\/localhost:9000\/invite\//);
    expect(port.stderr).toContain('made from PORT=9000 as LOTSE_PUBLIC_URL is not set');
    const known = await runSource('cli.ts', args, {
      ...env,
      LOTSE_PUBLIC_URL: 'https://support.example.com',
    });
    expect(known.stdout).toMatch(/^https:\/\/support\.example\.com\/invite\/[\w-]+\n$/);
    expect(known.stderr).toBe('');
  });

  it('names a wrong environment variable once prefixed, with exit 1', async () => {
    const r = await runSource('cli.ts', ['export', '--email', 'eva@example.com'], {
      ...env,
      DATABASE_URL: 'postgres//lotse:s3cret@db/lotse',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'lotse-server: DATABASE_URL=postgres//***@db/lotse: must be a URL such as postgres://user:password@host:5432/lotse; unset it to use SQLite in LOTSE_DATA_DIR\n',
    );
  });
});

describe('lotse-server help', () => {
  it('prints every command, the knowledge-base ones too', async () => {
    const r = await runSource('cli.ts', ['help'], {});
    expect(r.code).toBe(0);
    for (const command of ['export', 'delete', 'reset-password', 'kb import', 'kb export']) {
      expect(r.stdout).toContain(`lotse-server ${command} `);
    }
  });
});
