import { expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import type { Store } from '../store/store.js';
import type { SiteRow } from './site-queries.js';
import { createSiteRegistry } from './site-registry.js';

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
