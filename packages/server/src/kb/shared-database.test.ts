import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import { fakeBuilder, send, startTestServer, type TestServer } from '../test-support/server.js';
import { smallKbConfig, smallKbEntry } from '../test-support/small-kb.js';
import { describeStores } from '../test-support/stores.js';
import { fileText, textHash } from './kb-source.js';

describeStores('two server processes on one database', (target) => {
  let a: TestServer;
  let b: RunningServer | undefined;
  let dir: string;

  beforeEach(async () => {
    a = await startTestServer(target, { watchKnowledgeBases: false });
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-second-'));
  });
  afterEach(async () => {
    await b?.close();
    b = undefined;
    await a.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both serve the new model after a publish on one of them', async (context) => {
    // Two processes share a database only on PostgreSQL (SQLite's writer thread owns its file).
    if (target.kind === 'sqlite') context.skip();
    const { databaseUrl } = a.server.options;
    b = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      buildModel: fakeBuilder,
      siteRefreshMs: 100,
      secret: 'test-secret-test-secret-test-secret',
      admin: { password: 'test-password' },
      rateLimit: { client: false, site: false },
      logger: { info() {}, warn() {}, error() {} },
    });
    const modelAt = (url: string) => send(`${url}/v1/sites/demo/model.json`);
    const before = await modelAt(b.url);
    expect(before.headers['x-lotse-kb-version']).toBe('1');

    const kb = a.server.knowledgeBase;
    const copy = await kb.workingCopy('demo');
    // A knowledge base that validates (publishing checks it before the build): the small one.
    const drafts: [string, string | null][] = [
      ['lotse.config.json', smallKbConfig],
      ['returns.md', null],
      ['entries/returns-label.en.md', smallKbEntry('returns-label', 'Returns, new')],
    ];
    for (const [file, text] of drafts) {
      const saved = await kb.saveDraft(
        'demo',
        file,
        text,
        textHash(fileText(copy.source, file)),
        'a@example.com',
      );
      expect(saved.saved).toBe(true);
    }
    const published = await kb.publish('demo', { author: 'a@example.com', message: 'New' });
    expect(published.ok).toBe(true);

    const onA = await modelAt(a.url);
    expect(onA.headers['x-lotse-kb-version']).toBe('2');
    await expect
      .poll(async () => (await modelAt(b!.url)).headers.etag, { timeout: 30_000 })
      .toBe(onA.headers.etag);
    expect((await modelAt(b.url)).text).toContain('Returns, new');
  });
});
