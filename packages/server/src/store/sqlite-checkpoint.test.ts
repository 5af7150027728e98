import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventRow } from '../test-support/fixtures.js';
import { createSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

let dir: string;
let file: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lotse-checkpoint-'));
  file = path.join(dir, 'lotse.db');
  store = createSqliteStore({ file });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The database's size as its connections see it (through the WAL). */
function logicalSize(): number {
  const reader = new Database(file, { readonly: true });
  try {
    return (
      Number(reader.pragma('page_count', { simple: true })) *
      Number(reader.pragma('page_size', { simple: true }))
    );
  } finally {
    reader.close();
  }
}

it('checkpoints the WAL in the background while the store runs', async () => {
  // Enough events for new pages, far fewer WAL pages than SQLite's own default checkpoint (1 000
  // pages of 4 KiB and a 24-byte frame header): only the background one copies them.
  const rows = Array.from({ length: 200 }, () => eventRow({ props: { text: 'x'.repeat(500) } }));
  expect(await store.insertEvents(rows)).toEqual({ accepted: 200, duplicates: 0 });
  expect(statSync(`${file}-wal`).size).toBeLessThan(1000 * (4096 + 24));
  const size = logicalSize();
  // The database file holds every page once the WAL is copied into it.
  await expect.poll(() => statSync(file).size, { timeout: 20_000 }).toBe(size);
  expect(await store.countEvents()).toBe(200);
});
