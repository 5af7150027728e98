import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { smallKbEntry, writeSmallKb } from '../test-support/small-kb.js';
import { runSource } from '../test-support/spawn.js';
import { describeStores } from '../test-support/stores.js';
import { runKbCommand } from './kb-commands.js';
import { readKbFolder } from './kb-source.js';

const triageCli = path.resolve(import.meta.dirname, '../../../triage/dist/cli/main.js');

/** Runs `lotse-triage` (the built one, as a site's CI would); resolves with its exit code. */
function runTriage(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [triageCli, ...args], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describeStores('lotse-server kb import and export', (target) => {
  let location: Awaited<ReturnType<typeof target.prepare>>;
  let env: Record<string, string>;
  let dir: string;
  let kbDir: string;
  const kb = (...args: string[]) => runSource('cli.ts', ['kb', ...args], env);
  const versions = async () => {
    const store = await openStore(location);
    try {
      return await store.listKbVersions('shop');
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    location = await target.prepare();
    const store = await openStore(location);
    await store.upsertSite(
      'shop',
      { key: 'shop', title: 'Shop', allowedOrigins: [], timeZone: 'UTC' },
      Date.now(),
    );
    await store.close();
    env = { LOTSE_DATA_DIR: location.dataDir, DATABASE_URL: location.databaseUrl ?? '' };
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-kb-cli-'));
    kbDir = path.join(dir, 'kb');
    mkdirSync(kbDir);
    writeSmallKb(kbDir);
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await location.cleanup();
  });

  it('imports a folder once, exports it for lotse-triage and re-imports the export unchanged', async () => {
    const first = await kb('import', 'shop', kbDir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `site "shop": imported ${kbDir} as version 1; checks: 3 of 3 pass (100.0 %)\n`,
    );
    expect(await versions()).toMatchObject([
      { version: 1, author: null, message: `Imported from ${kbDir}`, importedFrom: kbDir },
    ]);

    const again = await kb('import', 'shop', kbDir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/version 1 already holds .*; nothing imported/);

    const out = path.join(dir, 'out');
    const exported = await kb('export', 'shop', out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(
      `site "shop": version 1 written to ${out} (3 entry files, checks.jsonl)\n`,
    );
    expect(await readKbFolder(out)).toEqual(await readKbFolder(kbDir));
    expect(await runTriage(['check', out])).toBe(0);

    expect((await kb('import', 'shop', out)).stdout).toMatch(/version 1 already holds/);
    expect((await versions()).length).toBe(1);
  }, 120_000);

  it('exports an earlier version and refuses to write into a folder with files', async () => {
    const entry = path.join(kbDir, 'entries', 'delivery-time.en.md');
    const original = readFileSync(entry, 'utf8');
    await kb('import', 'shop', kbDir);
    writeFileSync(entry, smallKbEntry('delivery-time', 'Two to three days.'));
    expect((await kb('import', 'shop', kbDir)).stdout).toMatch(/as version 2;/);

    const out = path.join(dir, 'v1');
    expect((await kb('export', 'shop', out, '--version', '1')).code).toBe(0);
    expect(readFileSync(path.join(out, 'entries', 'delivery-time.en.md'), 'utf8')).toBe(original);

    const full = await kb('export', 'shop', out);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain(`<dir>: ${out} is not empty`);
    const missing = await kb('export', 'shop', path.join(dir, 'v9'), '--version', '9');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--version: site "shop" has no version 9 (versions 1–2)');
  }, 120_000);

  it('names the argument that is wrong and exits 2', async () => {
    const unknownSite = await kb('import', 'nope', kbDir);
    expect(unknownSite.code).toBe(2);
    expect(unknownSite.stderr).toContain(
      '<site>: there is no site "nope" in this store (sites: shop)',
    );

    const noFolder = await kb('import', 'shop', path.join(dir, 'missing'));
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain(`<dir>: ${path.join(dir, 'missing')} does not exist`);

    writeFileSync(
      path.join(kbDir, 'entries', 'delivery-time.en.md'),
      smallKbEntry('delivery-time').replace('topic: "shipping"', 'topic: "nowhere"'),
    );
    const invalid = await kb('import', 'shop', kbDir);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/delivery-time\.en\.md.*topic/s);
    expect(invalid.stderr).not.toContain('Usage:');

    const noDir = await kb('import', 'shop');
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('<dir> is missing');
    expect(noDir.stderr).toContain('lotse-server kb export <site> <dir> [--version <n>]');

    const badVersion = await kb('export', 'shop', path.join(dir, 'x'), '--version', 'latest');
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain('--version: "latest" is no version number');
    expect(await versions()).toEqual([]);
  }, 120_000);

  it('exits 1 when the build fails and stores nothing', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runKbCommand(['import', 'shop', kbDir], {
      env,
      usage: 'Usage: …',
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      build: async () => {
        throw new Error('model builder stopped (exit 1)');
      },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `lotse-server kb import: ${kbDir} not imported: model builder stopped (exit 1)\n`,
    );
    expect(await versions()).toEqual([]);
  });
});

it('lists the kb commands in its usage', async () => {
  const r = await runSource('cli.ts', ['help'], {});
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('lotse-server kb import <site> <dir>');
  expect(r.stdout).toContain('lotse-server kb export <site> <dir> [--version <n>]');
});
