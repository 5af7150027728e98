// A visitor's deletion on SQLite leaves nothing of them in the database's files: not in the free
// space of the pages their rows were on, not in older versions of rows written again (derived
// rows, handoff figures), not in the WAL.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { eventRow, handoffRow } from '../test-support/fixtures.js';

let store: Store | undefined;
let dir = '';
afterEach(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How often `marker` appears in the SQLite file and its WAL, as UTF-8 bytes. */
function copiesOf(marker: string): number {
  const needle = Buffer.from(marker);
  let copies = 0;
  for (const file of ['lotse.db', 'lotse.db-wal']) {
    const at = path.join(dir, file);
    if (!existsSync(at)) continue;
    const bytes = readFileSync(at);
    for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + 1)) copies++;
  }
  return copies;
}

it('leaves no byte of a deleted visitor in the SQLite file or its WAL', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lotse-erasure-'));
  store = await openStore({ dataDir: dir });
  const marker = `zebra${randomUUID().slice(0, 8)}`;
  const email = `${marker}@example.com`;
  const h = handoffRow({
    email,
    sessionId: randomUUID(),
    message: `${marker}: Mein Paket ist nicht angekommen.`,
  });
  await store.insertHandoff(h);
  await store.insertMessage({
    id: randomUUID(),
    handoffId: h.id,
    from: 'visitor',
    text: `${marker} schreibt noch einmal`,
    ts: 2,
  });
  await store.insertNote({ id: randomUUID(), handoffId: h.id, agentId: 'a1', text: marker, ts: 3 });
  await store.setTags(h.id, ['versand']);
  await store.setTags(h.id, ['versand', 'rückruf']);
  const question = (ts: number) =>
    eventRow({
      anonymousId: h.anonymousId!,
      sessionId: h.sessionId!,
      type: 'query.unanswered',
      ts,
      receivedAt: ts,
      props: { query: `${marker} wo ist mein Paket`, locale: 'de' },
    });
  // Derived twice: the first derived rows are written again, their old versions freed.
  await store.insertEvents([question(1000)]);
  await store.deriveDirty({ sites: new Map([['demo', undefined]]), maxSessions: 10 });
  await store.insertEvents([question(2000)]);
  await store.deriveDirty({ sites: new Map([['demo', undefined]]), maxSessions: 10 });
  expect(copiesOf(marker)).toBeGreaterThan(0);

  const deleted = await store.deleteVisitor({ email });
  expect(deleted).toMatchObject({ handoffs: 1, events: 2, messages: 1, notes: 1 });
  expect(copiesOf(marker)).toBe(0);
});
