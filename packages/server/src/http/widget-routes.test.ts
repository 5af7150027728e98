import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chunksDir, loaderFile, panelDir } from '@lotse/widget/assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteSettings, resolveSite } from '../sites/site-settings.js';
import {
  exampleSiteDir,
  SHOP_ORIGIN,
  startTestServer,
  type TestServer,
} from '../test-support/server.js';
import { sqliteTarget } from '../test-support/stores.js';
import { widgetSettings } from './widget-routes.js';

// The routes serve the real widget build (`pnpm build` first); the store plays no part, so one
// SQLite server serves the whole suite.
const panelHtml = readFileSync(path.join(panelDir, 'index.html'), 'utf8');
const chunk = readdirSync(chunksDir).find((f) => f.endsWith('.js'));
const panelAssets = [...panelHtml.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);

const policy = (ancestors: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`;

describe('widget routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(sqliteTarget);
    // A third site that opts in to collecting unanswered questions.
    await t.server.store.upsertSite(
      'collecting',
      {
        key: 'collecting',
        title: 'Collecting',
        allowedOrigins: ['https://collect.test'],
        responseMinutes: { '1': 60, '2': 60, '3': 60 },
        timeZone: 'UTC',
        collectUnansweredQuestions: true,
      },
      Date.now(),
    );
    await t.server.sites.refresh();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the loader at /lotse.js with a short cache', async () => {
    const r = await t.get('/lotse.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.raw.equals(readFileSync(loaderFile))).toBe(true);
  });

  it('answers a repeated request for an unchanged file with 304', async () => {
    const r = await t.get('/lotse.js');
    const again = await t.get('/lotse.js', { 'if-none-match': String(r.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect((await t.get('/lotse.js', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('serves the hashed controller to any origin, immutable', async () => {
    expect(chunk).toBeDefined();
    const r = await t.get(`/widget/${chunk}`, { origin: 'https://any-shop.test' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.raw.equals(readFileSync(path.join(chunksDir, String(chunk))))).toBe(true);
    expect((await t.get('/widget/controller-unknown.js')).status).toBe(404);
  });

  it('compresses text files when the client accepts it', async () => {
    const file = readFileSync(path.join(chunksDir, String(chunk)));
    const br = await t.get(`/widget/${chunk}`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.raw).equals(file)).toBe(true);
    const gz = await t.get(`/widget/${chunk}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.raw).equals(file)).toBe(true);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
  });

  it("frames the panel only from the named site's allow-list", async () => {
    const r = await t.get('/panel/?site=demo');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe(policy(`'self' ${SHOP_ORIGIN}`));
    expect(r.text).toBe(panelHtml);
    const other = await t.get('/panel/?site=other');
    expect(other.headers['content-security-policy']).toBe(policy("'self' http://other.test"));
  });

  it.each([
    ['no site', '/panel/'],
    ['an unknown site', '/panel/?site=nowhere'],
    ['a site key with a policy in it', '/panel/?site=demo;%20frame-ancestors%20*'],
    ['index.html by name', '/panel/index.html'],
  ])('lets only its own origin frame the panel for %s', async (_name, url) => {
    const r = await t.get(url);
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(policy("'self'"));
  });

  it('redirects /panel to /panel/, keeping the query', async () => {
    const r = await t.get('/panel?site=demo');
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('/panel/?site=demo');
  });

  it("serves the panel's hashed assets immutable", async () => {
    expect(panelAssets.length).toBeGreaterThan(1);
    for (const asset of panelAssets) {
      const r = await t.get(`/panel/${asset}`);
      expect(r.status, asset).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-security-policy']).toBeUndefined();
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it.each([
    '/widget/..%2f..%2fpackage.json',
    '/widget/%2e%2e/%2e%2e/package.json',
    '/widget/../../../../etc/passwd',
    '/panel/..%2F..%2F..%2Fpackage.json',
    '/panel/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/panel/assets/..%5c..%5cindex.html',
    '/panel//etc/passwd',
    '/demo/..%2f..%2fsite.json',
    '/demo/%2e%2e/site.json',
  ])('refuses the path %s', async (url) => {
    const r = await t.get(url);
    expect(r.status).toBe(404);
    expect(r.json?.error.code).toBe('not_found');
  });

  it('tells the panel whether the site collects unanswered questions', async () => {
    const on = await t.get('/v1/sites/collecting/widget.json', { origin: 'https://collect.test' });
    expect(on.status).toBe(200);
    expect(on.headers['content-type']).toMatch(/^application\/json/);
    expect(on.json).toMatchObject({ collectUnanswered: true });
    expect(on.headers['access-control-allow-origin']).toBe('https://collect.test');
    const off = await t.get('/v1/sites/demo/widget.json');
    expect(off.json).toMatchObject({ collectUnanswered: false });
  });

  it('names the served knowledge-base version in widget.json and its header, as model.json does', async () => {
    const model = await t.get('/v1/sites/demo/model.json', { origin: SHOP_ORIGIN });
    const version = model.headers['x-lotse-kb-version'];
    expect(version).toMatch(/^[1-9]\d*$/);
    const r = await t.get('/v1/sites/demo/widget.json', { origin: SHOP_ORIGIN });
    expect(r.json.kbVersion).toBe(Number(version));
    expect(r.headers['x-lotse-kb-version']).toBe(version);
    // A page of the site may read the header across origins.
    expect(r.headers['access-control-expose-headers']).toContain('X-Lotse-KB-Version');
    // A site that has published nothing yet serves no version.
    const none = await t.get('/v1/sites/other/widget.json', { origin: 'http://other.test' });
    expect(none.json.kbVersion).toBeNull();
    expect(none.headers['x-lotse-kb-version']).toBeUndefined();
  });

  it('refuses widget.json for unknown sites and foreign origins', async () => {
    const unknown = await t.get('/v1/sites/nowhere/widget.json');
    expect(unknown.status).toBe(403);
    expect(unknown.json.error.code).toBe('unknown_site');
    const foreign = await t.get('/v1/sites/demo/widget.json', { origin: 'https://evil.test' });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('origin_not_allowed');
  });
});

describe('widget routes for the demo site of examples/site.json', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(sqliteTarget, {
      siteFiles: [path.join(exampleSiteDir, '..', 'site.json')],
      watchKnowledgeBases: false,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets the demo origins frame the panel and collects unanswered questions', async () => {
    const port = t.server.port;
    const r = await t.get('/panel/?site=demo');
    expect(r.headers['content-security-policy']).toBe(
      policy(`'self' http://localhost:${port} http://127.0.0.1:${port}`),
    );
    const settings = await t.get('/v1/sites/demo/widget.json', {
      origin: `http://localhost:${port}`,
    });
    expect(settings.json).toMatchObject({
      collectUnanswered: true,
      hours: { timeZone: 'Europe/Berlin', openNow: expect.any(Boolean) },
    });
  });
});

describe('widgetSettings', () => {
  const site = resolveSite(
    parseSiteSettings(
      {
        key: 'berlin',
        title: 'Berlin',
        allowedOrigins: [],
        responseMinutes: { '1': 60, '2': 240, '3': 960 },
        timeZone: 'Europe/Berlin',
        businessHours: { mon: ['09:00-17:00'], fri: ['09:00-17:00'] },
        holidays: ['2026-11-30'],
        npsIntervalDays: 30,
      },
      'test',
    ),
  );

  it('says the site is open during its hours', () => {
    // Friday 27 November 2026, 10:00 in Berlin (CET, UTC+1).
    expect(widgetSettings(site, Date.parse('2026-11-27T09:00:00Z'), 4)).toEqual({
      collectUnanswered: false,
      npsIntervalDays: 30,
      hours: { openNow: true, nextOpening: null, timeZone: 'Europe/Berlin' },
      kbVersion: 4,
    });
  });

  it('names the next opening after hours, skipping closed days and holidays', () => {
    // Friday 18:00 Berlin → Monday 30 November is a holiday → Friday 4 December, 09:00 Berlin.
    expect(widgetSettings(site, Date.parse('2026-11-27T17:00:00Z'), null).hours).toEqual({
      openNow: false,
      nextOpening: '2026-12-04T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
    });
  });
});
