import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENGINE_VERSION } from '@lotse/triage';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import { smallKbEntry, writeSmallKb } from '../test-support/small-kb.js';
import { describeOpenStores } from '../test-support/stores.js';
import { type BuildWorker, createBuildWorker } from './create-build-worker.js';
import { textHash } from './kb-source.js';
import { createKnowledgeBase, type KnowledgeBase, workingCopyState } from './knowledge-base.js';
import { createModelRegistry, type ModelRegistry } from './model-registry.js';

describeOpenStores('knowledge base versions', (t) => {
  let dir: string;
  let models: ModelRegistry;
  let kb: KnowledgeBase;
  let clock = 1_000;
  let builder: BuildWorker;

  beforeAll(() => {
    builder = createBuildWorker();
  });
  afterAll(async () => {
    await builder.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-kb-'));
    writeSmallKb(dir);
    models = createModelRegistry({ store: t.store, logger: silentLogger });
    kb = createKnowledgeBase({
      store: t.store,
      models,
      build: builder.build,
      logger: silentLogger,
      now: () => clock++,
      watch: false,
    });
  });
  afterEach(async () => {
    kb.close();
    await kb.settled();
    models.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const entryPath = 'entries/delivery-time.en.md';

  it('imports a folder once per change and serves the newest version', async () => {
    expect(await kb.importFolder('demo', dir)).toBe(true);
    expect(await kb.importFolder('demo', dir)).toBe(true);
    let versions = await t.store.listKbVersions('demo');
    expect(versions.map((v) => [v.version, v.importedFrom, v.checksTotal])).toEqual([[1, dir, 3]]);
    expect(versions[0]?.checksFailed).toEqual([]);
    expect(models.get('demo')?.version).toBe(1);

    writeFileSync(path.join(dir, entryPath), smallKbEntry('delivery-time', 'Two to three days.'));
    await kb.importFolder('demo', dir);
    versions = await t.store.listKbVersions('demo');
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(models.get('demo')?.json).toContain('Two to three days.');
  });

  it('publishes again what another engine built, once, and leaves its own models alone', async () => {
    expect(await kb.importFolder('demo', dir)).toBe(true);
    // As if the server's engine were newer than the one that built version 1.
    await kb.rebuildOutdated('9.9.0');
    const versions = await t.store.listKbVersions('demo');
    expect(versions.map((v) => [v.version, v.restoredFrom, v.author])).toEqual([
      [2, 1, null],
      [1, null, null],
    ]);
    expect(versions[0]?.message).toBe(`Rebuilt for triage engine 9.9.0 (was ${ENGINE_VERSION})`);
    expect(models.get('demo')?.version).toBe(2);
    // Built by this engine: nothing to do, at every start.
    await kb.rebuildOutdated(ENGINE_VERSION);
    expect((await t.store.listKbVersions('demo')).map((v) => v.version)).toEqual([2, 1]);
  });

  it('imports a folder again on request once a published edit moved past it, not at a restart', async () => {
    expect(await kb.importFolderVersion('demo', dir)).toMatchObject({
      ok: true,
      unchanged: false,
      version: { version: 1, importedFrom: dir, checksTotal: 3 },
    });
    const published = (await kb.workingCopy('demo')).source;
    const text = published.files.find((f) => f.path === entryPath)?.text ?? null;
    const edit = smallKbEntry('delivery-time', 'Two to three days.');
    await kb.saveDraft('demo', entryPath, edit, textHash(text), 'owner@example.com');
    expect(
      await kb.publish('demo', { author: 'owner@example.com', message: 'Faster' }),
    ).toMatchObject({ ok: true });
    // The folder named in the site settings, imported again at a restart, leaves the edit…
    expect(await kb.importFolder('demo', dir)).toBe(true);
    expect(models.get('demo')?.version).toBe(2);
    // …while `lotse-server kb import` stores the folder as the newest version, once.
    expect(await kb.importFolderVersion('demo', dir)).toMatchObject({
      ok: true,
      unchanged: false,
      version: { version: 3 },
    });
    expect(await kb.importFolderVersion('demo', dir)).toMatchObject({
      ok: true,
      unchanged: true,
      version: { version: 3 },
    });
    expect(models.get('demo')?.json).not.toContain('Two to three days.');
  });

  it('keeps both versions when two people edit the same entry', async () => {
    await kb.importFolder('demo', dir);
    const published = (await kb.workingCopy('demo')).source.files.find((f) => f.path === entryPath);
    const base = textHash(published?.text ?? null);
    const mine = smallKbEntry('delivery-time', 'Mine: two days.');
    const theirs = smallKbEntry('delivery-time', 'Theirs: three days.');
    expect(await kb.saveDraft('demo', entryPath, theirs, base, 'b@example.com')).toEqual({
      saved: true,
    });
    // The second save started from the same published text: refused, with what is stored now.
    expect(await kb.saveDraft('demo', entryPath, mine, base, 'a@example.com')).toEqual({
      saved: false,
      current: theirs,
    });
    // Saving again on top of theirs (the conflict page's base) wins.
    expect(await kb.saveDraft('demo', entryPath, mine, textHash(theirs), 'a@example.com')).toEqual({
      saved: true,
    });
    const drafts = await t.store.listKbDrafts('demo');
    expect(drafts.map((d) => [d.path, d.text, d.updatedBy])).toEqual([
      [entryPath, mine, 'a@example.com'],
    ]);
  });

  it('refuses a publish that breaks a passing check unless an owner overrides, and restores', async () => {
    await kb.importFolder('demo', dir);
    const first = models.get('demo');
    const published = (await kb.workingCopy('demo')).source;
    const text = published.files.find((f) => f.path === entryPath)?.text ?? null;
    await kb.saveDraft('demo', entryPath, null, textHash(text), 'owner@example.com');

    const refused = await kb.publish('demo', { author: 'owner@example.com', message: 'Drop it' });
    expect(refused.ok).toBe(false);
    if (refused.ok || refused.code !== 'checks_regressed') throw new Error(JSON.stringify(refused));
    expect(refused.regressions.map((r) => r.id)).toEqual(['delivery-time-1']);
    expect(refused.regressions[0]?.failures.join()).toMatch(/entry: expected delivery-time/);
    expect(models.get('demo')?.version).toBe(1);
    expect((await t.store.listKbDrafts('demo')).length).toBe(1);

    const forced = await kb.publish('demo', {
      author: 'owner@example.com',
      message: 'Drop it',
      overrideReason: 'Delivery moves to the new carrier page',
    });
    if (!forced.ok) throw new Error(JSON.stringify(forced));
    expect(forced.version).toMatchObject({
      version: 2,
      author: 'owner@example.com',
      overrideReason: 'Delivery moves to the new carrier page',
    });
    expect(models.get('demo')?.version).toBe(2);
    expect(models.get('demo')?.json).not.toContain('delivery-time');
    expect(await t.store.listKbDrafts('demo')).toEqual([]);

    const restored = await kb.restore('demo', 1, 'owner@example.com');
    if (!restored.ok) throw new Error(JSON.stringify(restored));
    expect(restored.version).toMatchObject({ version: 3, restoredFrom: 1 });
    expect(models.get('demo')?.version).toBe(3);
    expect(models.get('demo')?.json).toBe(first?.json);
  });

  it('publishes over failing checks only those the override names, and only the drafts it was shown', async () => {
    await kb.importFolder('demo', dir);
    const published = (await kb.workingCopy('demo')).source;
    const drop = async (id: string) => {
      const file = `entries/${id}.en.md`;
      const text = published.files.find((f) => f.path === file)?.text ?? null;
      await kb.saveDraft('demo', file, null, textHash(text), 'owner@example.com');
    };
    await drop('delivery-time');
    const state = workingCopyState(await kb.workingCopy('demo'));
    const refused = await kb.publish('demo', { author: 'o', message: 'Drop', basedOn: state });
    if (refused.ok || refused.code !== 'checks_regressed') throw new Error(JSON.stringify(refused));
    expect(refused.regressions.map((r) => r.id)).toEqual(['delivery-time-1']);
    expect(refused.state).toBe(state);

    // Another draft meanwhile: the override of the page before publishes nothing, and says so.
    await drop('cancel-order');
    const override = {
      author: 'o',
      message: 'Drop',
      overrideReason: 'Moved to the carrier page',
      overrideChecks: ['delivery-time-1'],
    };
    expect(await kb.publish('demo', { ...override, basedOn: state })).toEqual({
      ok: false,
      code: 'stale',
      changes: {
        published: undefined,
        added: ['entries/cancel-order.en.md'],
        changed: [],
        removed: [],
      },
    });
    // Without a state to compare, the override still answers only the check it names.
    const notCovered = await kb.publish('demo', override);
    if (notCovered.ok || notCovered.code !== 'checks_regressed') {
      throw new Error(JSON.stringify(notCovered));
    }
    expect(notCovered.regressions.map((r) => r.id)).toEqual(['delivery-time-1', 'cancel-order-1']);
    expect(notCovered.notOverridden.map((r) => r.id)).toEqual(['cancel-order-1']);
    expect(models.get('demo')?.version).toBe(1);

    const forced = await kb.publish('demo', {
      ...override,
      overrideChecks: ['delivery-time-1', 'cancel-order-1'],
      basedOn: workingCopyState(await kb.workingCopy('demo')),
    });
    expect(forced).toMatchObject({ ok: true, version: { version: 2 } });
  });

  it('refuses an invalid knowledge base with the build’s message and keeps serving', async () => {
    await kb.importFolder('demo', dir);
    const broken = smallKbEntry('delivery-time').replace('topic: "shipping"', 'topic: "nowhere"');
    const published = (await kb.workingCopy('demo')).source;
    const text = published.files.find((f) => f.path === entryPath)?.text ?? null;
    await kb.saveDraft('demo', entryPath, broken, textHash(text), 'owner@example.com');
    const result = await kb.publish('demo', { author: 'owner@example.com', message: 'x' });
    expect(result).toMatchObject({ ok: false, code: 'invalid' });
    expect(result.ok === false && result.code === 'invalid' && result.message).toMatch(
      /delivery-time\.en\.md.*topic/s,
    );
    expect(models.get('demo')?.version).toBe(1);
    expect(await kb.publish('demo', { author: 'o', message: 'y' })).toMatchObject({ ok: false });
  });
});
