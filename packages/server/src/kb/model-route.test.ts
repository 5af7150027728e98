import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestResponse } from '../test-support/server.js';
import { SHOP_ORIGIN, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('GET /v1/sites/:site/model.json', (target) => {
  let t: TestServer;
  let errors: string[];
  beforeEach(async () => {
    errors = [];
    t = await startTestServer(target, {
      logger: { info() {}, warn() {}, error: (m) => errors.push(m) },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  /** Polls until the model's ETag differs from `etag` (rebuilds are debounced and asynchronous). */
  async function nextModel(etag: string): Promise<TestResponse> {
    for (let i = 0; i < 200; i++) {
      await t.server.knowledgeBase.settled();
      const r = await t.get('/v1/sites/demo/model.json');
      if (r.headers.etag !== etag) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the model was not rebuilt');
  }

  it('serves the model with a strong ETag and answers 304 to If-None-Match', async () => {
    const r = await t.get('/v1/sites/demo/model.json', { origin: SHOP_ORIGIN });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(r.headers['cache-control']).toBe('public, no-cache');
    expect(r.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(r.json.files.map((f: { f: string }) => f.f)).toEqual([
      'lotse.config.json',
      'returns.md',
    ]);
    const cached = await t.get('/v1/sites/demo/model.json', { 'if-none-match': r.headers.etag! });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.etag).toBe(r.headers.etag);
    const stale = await t.get('/v1/sites/demo/model.json', { 'if-none-match': '"old"' });
    expect(stale.status).toBe(200);
  });

  it('serves Brotli or gzip when accepted, each with its own ETag', async () => {
    const plain = await t.get('/v1/sites/demo/model.json');
    const br = await t.get('/v1/sites/demo/model.json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.raw).toString('utf8')).toBe(plain.text);
    const gz = await t.get('/v1/sites/demo/model.json', { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.raw).toString('utf8')).toBe(plain.text);
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    const cached = await t.get('/v1/sites/demo/model.json', {
      'accept-encoding': 'br',
      'if-none-match': br.headers.etag!,
    });
    expect(cached.status).toBe(304);
  });

  it('rebuilds when the knowledge base changes and keeps the last good model on errors', async () => {
    const first = await t.get('/v1/sites/demo/model.json');
    writeFileSync(path.join(t.kbDir, 'shipping.md'), '# Shipping\n');
    const second = await nextModel(first.headers.etag!);
    expect(second.json.files.map((f: { f: string }) => f.f)).toContain('shipping.md');

    writeFileSync(path.join(t.kbDir, 'broken.md'), 'INVALID\n');
    for (let i = 0; i < 200 && errors.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(errors.join('\n')).toMatch(
      /broken\.md: line 1: invalid entry.*last good model|last good model.*broken\.md/s,
    );
    const kept = await t.get('/v1/sites/demo/model.json');
    expect(kept.headers.etag).toBe(second.headers.etag);

    writeFileSync(path.join(t.kbDir, 'broken.md'), '# Fixed\n');
    const third = await nextModel(second.headers.etag!);
    expect(third.json.files.map((f: { f: string }) => f.f)).toContain('broken.md');
  });

  it('refuses unknown sites and answers 503 for a site without a knowledge base', async () => {
    const unknown = await t.get('/v1/sites/nope/model.json');
    expect(unknown.status).toBe(403);
    expect(unknown.json.error.code).toBe('unknown_site');
    const none = await t.get('/v1/sites/other/model.json');
    expect(none.status).toBe(503);
    expect(none.json.error.code).toBe('model_unavailable');
  });
});
