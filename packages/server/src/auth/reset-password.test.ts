import { afterEach, beforeEach, expect, it } from 'vitest';
import { cookiesOf, csrfOf, form, logIn, submitLogin } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { runSource } from '../test-support/spawn.js';
import { describeStores } from '../test-support/stores.js';

describeStores('lotse-server reset-password', (target) => {
  let t: TestServer;
  let env: Record<string, string>;

  beforeEach(async () => {
    t = await startTestServer(target);
    env = {
      LOTSE_DATA_DIR: t.dataDir,
      DATABASE_URL: target.kind === 'postgres' ? String(t.server.options.databaseUrl) : '',
      LOTSE_PUBLIC_URL: t.url,
    };
  });
  afterEach(async () => {
    await t.close();
  });

  it('sets a password directly, ending the old one’s sessions and links', async () => {
    const before = await logIn(t.url, 'admin@example.com', 'test-password');
    expect((await before.get('/inbox/')).status).toBe(200);
    const printed = await runSource(
      'cli.ts',
      ['reset-password', '--email', 'admin@example.com'],
      env,
    );
    const link = new URL(printed.stdout.trim()).pathname;
    expect((await t.get(link)).status).toBe(200);
    const r = await runSource(
      'cli.ts',
      ['reset-password', '--email', 'admin@example.com', '--password', 'ein neues Passwort'],
      env,
    );
    expect(r.code).toBe(0);
    expect((await submitLogin(t.url, 'admin@example.com', 'test-password')).response.status).toBe(
      401,
    );
    await logIn(t.url, 'admin@example.com', 'ein neues Passwort');
    expect((await before.get('/inbox/')).status).toBe(302);
    expect((await t.get(link)).status).toBe(404);
  });

  it('prints a one-time link that sets a new password', async () => {
    const r = await runSource('cli.ts', ['reset-password', '--email', 'admin@example.com'], env);
    expect(r.code).toBe(0);
    const path = new URL(r.stdout.trim()).pathname;
    const page = await t.get(path);
    const post = await send(t.url + path, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), password: 'ganz anderes Passwort' }),
    });
    expect(post.status).toBe(200);
    await logIn(t.url, 'admin@example.com', 'ganz anderes Passwort');
    expect((await t.get(path)).status).toBe(404);
  });

  it('refuses an unknown agent and a short password', async () => {
    expect(
      (await runSource('cli.ts', ['reset-password', '--email', 'x@example.com'], env)).code,
    ).toBe(1);
    const short = ['reset-password', '--email', 'admin@example.com', '--password', 'kurz'];
    expect((await runSource('cli.ts', short, env)).code).toBe(2);
  });
});
