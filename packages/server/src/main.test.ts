import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './store/open-store.js';
import { spawnSource } from './test-support/spawn.js';

describe('main: a start refused for a wrong setting', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-main-'));
    const site = path.join(dir, 'site.json');
    writeFileSync(
      site,
      JSON.stringify({
        key: 'demo',
        title: 'Demo',
        allowedOrigins: ['http://localhost:PORT'],
        responseMinutes: { '1': 60, '2': 60, '3': 60 },
        timeZone: 'UTC',
      }),
    );
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOTSE_DATA_DIR: path.join(dir, 'data'),
      LOTSE_SITE_FILES: site,
      LOTSE_ADMIN_PASSWORD: 'test-password',
      DATABASE_URL: '',
    };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts main.ts with `changes`, stopping it once it is ready; resolves with what it printed. */
  async function start(
    changes: Record<string, string>,
  ): Promise<{ code: unknown; stdout: string; stderr: string }> {
    const child = spawnSource('main.ts', [], { ...env, ...changes });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('ready on')) child.kill('SIGKILL');
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    return { code, stdout, stderr };
  }

  /** Starts main.ts with `changes`; it must exit 1 (one that starts is stopped at once). */
  async function refused(changes: Record<string, string>): Promise<string> {
    const { code, stdout, stderr } = await start(changes);
    expect(stdout, 'it started').not.toContain('ready on');
    expect(code, stderr).toBe(1);
    return stderr;
  }

  it('names the variable once prefixed, not the site file its value broke', async () => {
    expect(await refused({ PORT: '70000' })).toBe(
      '[lotse] PORT=70000: must be a whole number 0–65535; 0 picks any free port; unset it for 8787\n',
    );
  });

  it('names HOST when no address of the machine has that name', async () => {
    expect(await refused({ HOST: 'lotse-nowhere.invalid' })).toMatch(
      /^\[lotse\] HOST=lotse-nowhere\.invalid: no address of this machine has this name \(\w+\); give one of its addresses or names \(e\.g\. 127\.0\.0\.1 or localhost\), or unset HOST to listen on every interface\n$/,
    );
  });

  it('refuses two site files with one key, naming both', async () => {
    const copy = path.join(dir, 'copy.json');
    writeFileSync(
      copy,
      JSON.stringify({
        key: 'demo',
        title: 'Copy',
        allowedOrigins: [],
        responseMinutes: { '1': 1, '2': 1, '3': 1 },
        timeZone: 'UTC',
      }),
    );
    // Origins with PORT are seeded once the port is known, so both a fixed and a free port.
    for (const port of ['0', '8922']) {
      expect(
        await refused({ PORT: port, LOTSE_SITE_FILES: `${env.LOTSE_SITE_FILES},${copy}` }),
      ).toBe(
        `[lotse] LOTSE_SITE_FILES: ${env.LOTSE_SITE_FILES} and ${copy} both set up the site "demo"; give one of them another "key", or leave one out of LOTSE_SITE_FILES\n`,
      );
    }
    const store = await openStore({ dataDir: String(env.LOTSE_DATA_DIR) });
    try {
      expect(await store.listSites()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a first admin no one could sign in as', async () => {
    expect(await refused({ LOTSE_ADMIN_PASSWORD: 'abc' })).toContain(
      '[lotse] LOTSE_ADMIN_PASSWORD: must be at least 12 characters (it has 3)',
    );
    expect(await refused({ LOTSE_ADMIN_EMAIL: 'not-an-email' })).toContain(
      '[lotse] LOTSE_ADMIN_EMAIL=not-an-email: the first admin signs in with this address',
    );
    const store = await openStore({ dataDir: String(env.LOTSE_DATA_DIR) });
    try {
      expect(await store.countAgents()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('starts again with settings it would refuse at a first start, warning about each', async () => {
    expect((await start({})).stdout).toContain('ready on');
    // LOTSE_ADMIN_PASSWORD=changeme and a proxy range started before either was checked.
    const again = await start({
      LOTSE_ADMIN_PASSWORD: 'changeme',
      LOTSE_TRUSTED_PROXIES: '10.0.0.0/8',
    });
    expect(again.stdout, again.stderr).toContain('ready on');
    expect(again.stderr).toContain(
      '[lotse] LOTSE_ADMIN_PASSWORD is ignored, as agents exist already and it only sets up the first admin;',
    );
    expect(again.stderr).toContain(
      '[lotse] LOTSE_TRUSTED_PROXIES: "10.0.0.0/8" is ignored, as only exact IP addresses are supported',
    );
    expect(again.stderr).not.toContain('changeme');
  });
});
