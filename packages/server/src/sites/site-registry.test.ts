import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError, silentLogger } from '../options.js';
import type { Store } from '../store/store.js';
import { describeOpenStores } from '../test-support/stores.js';
import type { SiteRow } from './site-queries.js';
import { createSiteRegistry, seedSiteFiles } from './site-registry.js';

const settings = (title: string) => ({
  key: 'demo',
  title,
  allowedOrigins: ['https://shop.example'],
  knowledgeBase: 'kb-shop',
  responseMinutes: { '1': 480, '2': 240, '3': 960 },
  timeZone: 'Europe/Berlin',
});

it('keeps the settings of the read that started last when an older read ends after it', async () => {
  let stored: SiteRow[] = [{ key: 'demo', settings: settings('Before'), updatedAt: 1 }];
  // Reads of the store, each answered when the test says so, with the rows of when it started.
  const reads: { rows: SiteRow[]; answer: () => void }[] = [];
  let answerAtOnce = true;
  const store = {
    listSites: () =>
      new Promise<SiteRow[]>((resolve) => {
        const rows = stored;
        if (answerAtOnce) resolve(rows);
        else reads.push({ rows, answer: () => resolve(rows) });
      }),
    getSite: async (key: string) => stored.find((row) => row.key === key),
  } as unknown as Store;
  const sites = await createSiteRegistry({ store, logger: silentLogger, refreshMs: 3_600_000 });
  answerAtOnce = false;

  const timer = sites.refresh(); // the timer's read starts before the save …
  stored = [{ key: 'demo', settings: settings('After'), updatedAt: 2 }];
  const afterSave = sites.refresh(); // … the save's read after it
  reads[1]!.answer();
  await afterSave;
  expect((await sites.get('demo'))?.title).toBe('After');
  reads[0]!.answer(); // the older read ends last
  await timer;
  expect((await sites.get('demo'))?.title).toBe('After');
  expect(sites.all().map((site) => site.title)).toEqual(['After']);
  sites.close();
});

it('does not cache a site read on a miss over the newer settings of a refresh that started after it', async () => {
  let stored: SiteRow[] = [];
  let answerSite: (() => void) | undefined;
  const store = {
    listSites: async () => stored,
    getSite: (key: string) =>
      new Promise<SiteRow | undefined>((resolve) => {
        const row = stored.find((r) => r.key === key);
        answerSite = () => resolve(row);
      }),
  } as unknown as Store;
  const sites = await createSiteRegistry({ store, logger: silentLogger, refreshMs: 3_600_000 });
  // Created by another instance: this one misses it and reads it …
  stored = [{ key: 'demo', settings: settings('Before'), updatedAt: 1 }];
  const missed = sites.get('demo');
  // … it is edited, and a refresh reads the edit before that read ends.
  stored = [{ key: 'demo', settings: settings('After'), updatedAt: 2 }];
  await sites.refresh();
  answerSite!();
  expect((await missed)?.title).toBe('Before');
  expect((await sites.get('demo'))?.title).toBe('After');
  sites.close();
});

describeOpenStores('seeding site files', (t) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-seed-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, title: string, key = 'dup') => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ ...settings(title), key, knowledgeBase: undefined }));
    return file;
  };

  it('refuses two site files with one key, naming both and the key, before writing either', async () => {
    const a = write('a.json', 'A');
    const other = write('other.json', 'Other', 'other');
    const b = write('b.json', 'B');
    const seeding = seedSiteFiles({ store: t.store, files: [a, other, b], port: 8787, now: 1 });
    await expect(seeding).rejects.toThrow(ConfigError);
    await expect(seeding).rejects.toThrow(
      `[lotse] LOTSE_SITE_FILES: ${a} and ${b} both set up the site "dup"; give one of them another "key", or leave one out of LOTSE_SITE_FILES`,
    );
    expect(await t.store.listSites()).toEqual([]);

    const seeded = await seedSiteFiles({ store: t.store, files: [a, other], port: 8787, now: 1 });
    expect([...seeded]).toEqual([
      ['dup', a],
      ['other', other],
    ]);
    expect((await t.store.listSites()).map((row) => row.key)).toEqual(['dup', 'other']);
  });
});
