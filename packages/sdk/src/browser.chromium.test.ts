// The browser adapter in a real Chromium (Debian's package, never a downloaded browser): the
// localStorage outbox survives a reload, exactly one tab drains the events of a closed tab, and
// nothing is stored while consent is pending. The page loads a Vite build of the client + adapter
// from a loopback server that is also the collector.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChunks } from './test/build-bundle.js';

const CHROMIUM = process.env.LOTSE_CHROMIUM ?? '/usr/bin/chromium';
const found = existsSync(CHROMIUM);
// CI installs Chromium before the tests (so a missing one fails there); elsewhere the suite skips.
const run = found || !!process.env.CI;
if (!run) {
  console.warn(
    `[sdk] Skipping the Chromium tests: no browser at ${CHROMIUM} (apt-get install chromium, or set LOTSE_CHROMIUM).`,
  );
}

const src = resolve(import.meta.dirname);

/** The page: a client on the adapter, helpers on `window.lotseTest`; `?tab=` names the sender. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lotse sdk</title></head><body>
<script type="module">
import { createBrowserPlatform, createClient } from '/sdk/sdk.js';
const q = new URLSearchParams(location.search);
const tab = q.get('tab') ?? 'none';
const client = createClient({
  // A path per tab tells the collector who sent a request, fetch and page-hide beacon alike.
  endpoint: location.origin + '/t/' + tab,
  siteKey: 'demo',
  consent: q.get('consent') ?? 'granted',
  platform: createBrowserPlatform({ tickMs: 50 }),
  flushInterval: 0,
  retryBaseMs: 20,
  retryMaxMs: 100,
});
const outbox = () => Object.keys(localStorage).filter((k) => k.startsWith('lotse:demo:outbox:'));
window.lotseTest = {
  sessionId: client.sessionId,
  track(n) {
    for (let i = 0; i < n; i++) client.track('nps.submitted', { score: i % 11 });
  },
  setConsent: (c) => client.setConsent(c),
  outboxKeys: outbox,
  storedIds: () => outbox().flatMap((k) => JSON.parse(localStorage.getItem(k)).e.map((e) => e.id)),
  storageKeys: () => Object.keys(localStorage),
  wait: (ms) => new Promise((r) => setTimeout(r, ms)),
};
document.title = 'ready';
</script></body></html>`;

interface Receipt {
  /** The `?tab=` of the page that sent it. */
  tab: string;
  ids: string[];
  /** The session of each event, i.e. the page that tracked it. */
  sessions: string[];
  stored: boolean;
}

/** The loopback server: page, bundle, and a collector that answers 503 while `up` is false. */
async function startServer(files: Map<string, string>) {
  const state = {
    up: false,
    receipts: [] as Receipt[],
    /** How often each id was received while up (stored or as a duplicate). */
    counts: new Map<string, number>(),
  };
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (req.method === 'GET' && files.has(url.pathname)) {
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
        .end(files.get(url.pathname));
    } else if (req.method === 'POST' && /^\/t\/[\w-]+\/v1\/events$/.test(url.pathname)) {
      const { events } = JSON.parse(await read(req)) as {
        events: { id: string; sessionId: string }[];
      };
      const ids = events.map((e) => e.id);
      const sessions = events.map((e) => e.sessionId);
      const tab = url.pathname.split('/')[2]!;
      state.receipts.push({ tab, ids, sessions, stored: state.up });
      if (!state.up) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'unavailable', message: 'down' } }));
        return;
      }
      let duplicates = 0;
      for (const id of ids) {
        const n = state.counts.get(id) ?? 0;
        if (n) duplicates++;
        state.counts.set(id, n + 1);
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: ids.length - duplicates, duplicates, rejected: [] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// Deadlines sized for a loaded 2-core CI machine; the waits end as soon as the condition holds.
async function until(condition: () => boolean, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

declare global {
  /** What the test page puts on `window` (page.evaluate callbacks run in the page, not here). */
  interface Window {
    lotseTest: {
      sessionId: string;
      track(n: number): void;
      setConsent(c: string): void;
      outboxKeys(): string[];
      storedIds(): string[];
      storageKeys(): string[];
      wait(ms: number): Promise<void>;
    };
  }
}

describe.runIf(run)('browser adapter in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startServer>>;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    if (!found) throw new Error(`CI needs Chromium at ${CHROMIUM}: apt-get install chromium.`);
    const chunks = await buildChunks(
      'sdk',
      `export { createClient } from '${src}/index.ts';\nexport { createBrowserPlatform } from '${src}/browser.ts';`,
      { minify: false },
    );
    server = await startServer(new Map(chunks.map((c) => [`/sdk/${c.fileName}`, c.code])));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh origin storage per test: a new context, the collector down, no receipts. */
  async function fresh(): Promise<BrowserContext> {
    await context?.close();
    server.state.up = false;
    server.state.receipts.length = 0;
    server.state.counts.clear();
    context = await browser.newContext();
    return context;
  }

  async function open(tab: string, query = ''): Promise<Page> {
    const page = await (context ?? (await fresh())).newPage();
    await page.goto(`${server.url}?tab=${tab}${query}`);
    await page.waitForFunction(() => document.title === 'ready');
    return page;
  }

  /** Tracks `n` events while the collector is down and returns their ids once they are stored. */
  async function trackStored(page: Page, n: number): Promise<string[]> {
    await page.evaluate((count) => window.lotseTest.track(count), n);
    await page.waitForFunction((count) => window.lotseTest.storedIds().length === count, n);
    return page.evaluate(() => window.lotseTest.storedIds());
  }

  it('keeps the outbox across a reload and delivers every event exactly once', async () => {
    await fresh();
    const page = await open('first');
    const ids = await trackStored(page, 25);
    expect(new Set(ids).size).toBe(25);
    // While down, the client retried (and the page-hide beacon will fail too): nothing was stored.
    await until(() => server.state.receipts.some((r) => r.tab === 'first'), 'a failed attempt');
    const [before] = await page.evaluate(() => window.lotseTest.outboxKeys());

    await page.reload();
    await page.waitForFunction(() => document.title === 'ready');
    // The reloaded page adopts the old page's record: one record, under the new page's tab id.
    await page.waitForFunction((old) => {
      const keys = window.lotseTest.outboxKeys();
      return keys.length === 1 && keys[0] !== old;
    }, before);
    expect((await page.evaluate(() => window.lotseTest.storedIds())).sort()).toEqual(
      [...ids].sort(),
    );

    server.state.up = true;
    await until(() => server.state.counts.size === ids.length, 'every id at the collector');
    await page.waitForFunction(() => window.lotseTest.storedIds().length === 0);
    expect([...server.state.counts.keys()].sort()).toEqual([...ids].sort());
    expect([...server.state.counts.values()].every((n) => n === 1)).toBe(true);
    await page.close();
  }, 60_000);

  it('lets exactly one of two open tabs drain the events of a closed tab', async () => {
    await fresh();
    const closing = await open('closed');
    const orphans = await trackStored(closing, 30);
    const closedSession = await closing.evaluate(() => window.lotseTest.sessionId);
    await closing.close();

    const tabs = { one: await open('one'), two: await open('two') };
    // Each live tab has events of its own in its record too: no other tab may take those.
    const own = new Map<string, string>();
    for (const [name, page] of Object.entries(tabs)) {
      await page.evaluate(() => window.lotseTest.track(5));
      own.set(await page.evaluate(() => window.lotseTest.sessionId), name);
    }
    await until(
      () => server.state.receipts.some((r) => r.ids.includes(orphans[0]!) && r.tab !== 'closed'),
      'a live tab trying to send the closed tab’s events',
    );
    // Both tabs run many drain ticks (50 ms) while the collector is still down.
    await tabs.one.evaluate(() => window.lotseTest.wait(300));
    server.state.up = true;
    await until(() => server.state.counts.size === 40, 'all 40 ids at the collector');

    const senders = new Map<string, Set<string>>();
    for (const r of server.state.receipts) {
      if (r.tab === 'closed') continue;
      for (const session of r.sessions)
        senders.set(session, (senders.get(session) ?? new Set()).add(r.tab));
    }
    const drainers = [...(senders.get(closedSession) ?? [])];
    expect(drainers, "tabs that sent the closed tab's events").toHaveLength(1);
    expect(['one', 'two']).toContain(drainers[0]);
    for (const [session, name] of own) expect([...(senders.get(session) ?? [])]).toEqual([name]);
    expect([...server.state.counts.keys()]).toEqual(expect.arrayContaining(orphans));
    expect([...server.state.counts.values()].every((n) => n === 1)).toBe(true);
    for (const page of Object.values(tabs)) {
      await page.waitForFunction(() => window.lotseTest.storedIds().length === 0);
      await page.close();
    }
  }, 60_000);

  it('writes nothing to localStorage while consent is pending', async () => {
    await fresh();
    const page = await open('pending', '&consent=pending');
    await page.evaluate(() => window.lotseTest.track(5));
    // Several outbox ticks (50 ms) and a page hide pass with nothing stored or sent.
    await page.evaluate(() => window.lotseTest.wait(300));
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    expect(await page.evaluate(() => window.lotseTest.storageKeys())).toEqual([]);
    expect(server.state.receipts).toEqual([]);

    // The same page stores the held events once consent is granted (the collector is still down).
    await page.evaluate(() => window.lotseTest.setConsent('granted'));
    await page.waitForFunction(() => window.lotseTest.storedIds().length === 5);
    await page.close();
  }, 60_000);
});
