import { describe, expect, it, vi } from 'vitest';
import { createBrowserPlatform } from './browser.js';
import { createClient } from './client.js';
import { FakeLocks, fakeFetch, MemoryStorage, record, tick } from './test/helpers.js';

const API = 'https://lotse.test';

// A deadline rather than a number of polls: a loaded 2-core CI machine stretches every timer.
async function until(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

const outboxKeys = (s: MemoryStorage) => [...s.map.keys()].filter((k) => k.includes(':outbox:'));

function tab(
  name: string,
  storage: MemoryStorage,
  locks: FakeLocks | undefined,
  up: { value: boolean },
  extra: { staleMs?: number } = {},
) {
  const net = fakeFetch(() => up.value);
  // Every drain tick of the leading tab asks the lock manager who is alive: that counts the ticks.
  const queries = { value: 0 };
  const tabLocks = locks?.forTab(name);
  const platform = createBrowserPlatform({
    storage,
    locks: tabLocks && {
      ...tabLocks,
      query: () => {
        queries.value++;
        return tabLocks.query();
      },
    },
    tickMs: 10,
    ...extra,
  });
  const client = createClient({
    endpoint: API,
    siteKey: 'demo',
    platform,
    fetch: net.fetch,
    flushInterval: 5,
    retryBaseMs: 5,
    retryMaxMs: 10,
    closeTimeout: 0,
  });
  return { client, received: net.received, r: record(client), queries };
}

describe('persistent outbox in the browser', () => {
  it('survives a reload: the next page sends what the last one could not', async () => {
    const storage = new MemoryStorage();
    const locks = new FakeLocks();
    const down = { value: false };
    const a = tab('a', storage, locks, down);
    for (let i = 0; i < 5; i++) a.client.track('nps.submitted', { score: i });
    await tick();
    await until(() => outboxKeys(storage).length === 1, 'the outbox write');
    await a.client.close();
    expect(a.r.drops).toEqual([]);
    expect(JSON.parse(storage.getItem(outboxKeys(storage)[0]!)!).e).toHaveLength(5);

    const b = tab('b', storage, locks, { value: true });
    await until(() => b.received.length === 5, 'the adopted events to arrive');
    await b.client.flush();
    expect(new Set(b.received).size).toBe(5);
    await until(() => outboxKeys(storage).length === 0, 'the outbox to empty');
    await b.client.close();
  });

  it('lets exactly one live tab take over the events of a closed tab', async () => {
    const storage = new MemoryStorage();
    const locks = new FakeLocks();
    const net = { value: false };
    const a = tab('a', storage, locks, net);
    const b = tab('b', storage, locks, net);
    const c = tab('c', storage, locks, net);
    for (let i = 0; i < 3; i++) {
      a.client.track('nps.submitted', { score: i });
      b.client.track('nps.submitted', { score: i });
      c.client.track('nps.submitted', { score: i });
    }
    await until(() => outboxKeys(storage).length === 3, 'three tab outboxes');
    // Several drain ticks pass (counted, each after the one before finished): live tabs keep their
    // own events.
    const ticks = () => a.queries.value + b.queries.value + c.queries.value;
    const start = ticks();
    await until(() => ticks() >= start + 4, 'three more drain ticks');
    expect(outboxKeys(storage)).toHaveLength(3);

    await b.client.close();
    await until(() => outboxKeys(storage).length === 2, "b's outbox to be adopted");
    net.value = true;
    await a.client.flush();
    await c.client.flush();
    const all = [...a.received, ...c.received];
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
    // a held the drain lock, so a (not c) took b's events.
    expect(a.received).toHaveLength(6);
    await a.client.close();
    await c.client.close();
    expect(locks.holders()).toEqual([]);
  });

  it('falls back to a lease and heartbeats without Web Locks', async () => {
    const storage = new MemoryStorage();
    const a = tab('a', storage, undefined, { value: false }, { staleMs: 40 });
    a.client.track('nps.submitted', { score: 1 });
    await until(() => outboxKeys(storage).length === 1, 'the outbox write');
    await a.client.close();
    const b = tab('b', storage, undefined, { value: true }, { staleMs: 40 });
    await until(() => b.received.length === 1, 'the stale outbox to be adopted');
    await b.client.close();
  });

  it('keeps delivering from memory when storage is full, and says so', async () => {
    const storage = new MemoryStorage(200);
    const t = tab('a', storage, new FakeLocks(), { value: true });
    for (let i = 0; i < 20; i++) t.client.track('nps.submitted', { score: i % 11 });
    await t.client.flush();
    expect(t.received).toHaveLength(20);
    expect(t.r.errors.map((e) => e.code)).toContain('storage_failed');
    await t.client.close();
  });

  it('on page hide stores the queue, then beacons it as text in chunks of at most 64 KB', async () => {
    const storage = new MemoryStorage();
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const beacons: { url: string; body: string; stored: boolean }[] = [];
    const platform = createBrowserPlatform({
      storage,
      locks: new FakeLocks().forTab('a'),
      window: win,
      document: doc,
      beacon: (url, body) => {
        beacons.push({ url, body, stored: outboxKeys(storage).length > 0 });
        return true;
      },
    });
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      flushInterval: 60_000,
      closeTimeout: 0,
      fetch: fakeFetch(() => false).fetch,
    });
    for (let i = 0; i < 150; i++)
      client.track('query.submitted', { length: i, pad: 'x'.repeat(1000) } as never);
    await until(() => outboxKeys(storage).length === 1, 'the outbox write');
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(beacons.length).toBeGreaterThanOrEqual(3);
    expect(beacons.every((b) => b.stored && b.url === `${API}/v1/events`)).toBe(true);
    const ids = beacons.flatMap((b) => {
      expect(new TextEncoder().encode(b.body).length).toBeLessThanOrEqual(65536);
      return (JSON.parse(b.body) as { events: { id: string }[] }).events.map((e) => e.id);
    });
    expect(new Set(ids).size).toBe(150);
    win.dispatchEvent(new Event('pagehide'));
    expect(beacons.length).toBeGreaterThanOrEqual(6);
    await client.close();
    // Listeners are gone after close.
    win.dispatchEvent(new Event('pagehide'));
    expect(beacons.length).toBeLessThan(9);
  });
});

describe('failing browser APIs', () => {
  // Drain ticks run on a timer, outside any caller: a rejection there would reach the host page.
  async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await run();
      // Node reports unhandled rejections once the microtask queue is empty.
      await tick();
      await tick();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    return rejections;
  }

  it('survives a lock manager whose query rejects', async () => {
    const storage = new MemoryStorage();
    storage.setItem('lotse:demo:outbox:gone', JSON.stringify({ t: 0, e: [] }));
    const tabLocks = new FakeLocks().forTab('a');
    let queries = 0;
    const platform = createBrowserPlatform({
      storage,
      locks: {
        ...tabLocks,
        query: () => {
          queries++;
          return Promise.reject(new DOMException('gone', 'InvalidStateError'));
        },
      },
      tickMs: 5,
    });
    const outbox = platform.createOutbox!('demo');
    const rejections = await unhandledDuring(async () => {
      outbox.open(() => {});
      await until(() => queries >= 3, 'three drain ticks');
    });
    outbox.close();
    expect(rejections).toEqual([]);
  });

  it('survives storage that throws on every read (blocked mid-session)', async () => {
    let reads = 0;
    const blocked = () => {
      reads++;
      throw new DOMException('blocked', 'SecurityError');
    };
    const storage = Object.assign(new MemoryStorage(), { getItem: blocked, key: blocked });
    storage.map.set('lotse:demo:outbox:gone', JSON.stringify({ t: 0, e: [] }));
    for (const locks of [undefined, new FakeLocks().forTab('a')]) {
      const outbox = createBrowserPlatform({ storage, locks, tickMs: 5 }).createOutbox!('demo');
      const start = reads;
      const rejections = await unhandledDuring(async () => {
        outbox.open(() => {});
        await until(() => reads >= start + 3, 'three drain ticks');
      });
      outbox.clear();
      outbox.close();
      expect(rejections).toEqual([]);
    }
  });
});

describe('consent and privacy', () => {
  it('respects Do Not Track / GPC when the site opts in', async () => {
    const net = fakeFetch();
    const storage = new MemoryStorage();
    const platform = createBrowserPlatform({
      storage,
      locks: new FakeLocks().forTab('a'),
      doNotTrack: () => true,
    });
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      fetch: net.fetch,
      flushInterval: 0,
      respectDoNotTrack: true,
    });
    const r = record(client);
    client.track('widget.opened', {});
    client.setConsent('granted');
    client.track('widget.opened', {});
    await client.flush();
    await client.close();
    expect(net.received).toEqual([]);
    expect(storage.length).toBe(0);
    expect(r.drops.map((d) => d.reason)).toEqual(['consent_denied', 'consent_denied']);
  });

  it('stores and sends nothing while consent is pending, then sends on grant', async () => {
    const net = fakeFetch();
    const storage = new MemoryStorage();
    const platform = createBrowserPlatform({ storage, locks: new FakeLocks().forTab('a') });
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      fetch: net.fetch,
      flushInterval: 0,
      consent: 'pending',
      maxPending: 2,
    });
    const r = record(client);
    for (let i = 0; i < 3; i++) client.track('nps.submitted', { score: i });
    await tick();
    await client.flush();
    expect(net.received).toEqual([]);
    expect(storage.length).toBe(0);
    expect(r.drops).toMatchObject([{ reason: 'pending_overflow' }]);
    client.setConsent('granted');
    await client.flush();
    expect(net.received).toHaveLength(2);
    await client.close();
  });

  it('on denial drops the queue and clears the outbox', async () => {
    const up = { value: false };
    const net = fakeFetch(() => up.value);
    const storage = new MemoryStorage();
    const platform = createBrowserPlatform({ storage, locks: new FakeLocks().forTab('a') });
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      fetch: net.fetch,
      flushInterval: 0,
      retryBaseMs: 5,
      retryMaxMs: 5,
    });
    const r = record(client);
    for (let i = 0; i < 4; i++) client.track('nps.submitted', { score: i });
    await until(() => outboxKeys(storage).length === 1, 'the outbox write');
    client.setConsent('denied');
    up.value = true;
    client.track('nps.submitted', { score: 9 });
    expect(outboxKeys(storage)).toEqual([]);
    expect(r.droppedIds()).toHaveLength(5);
    expect(new Set(r.drops.map((d) => d.reason))).toEqual(new Set(['consent_denied']));
    // Granted again, a flush sends what came after the denial and nothing from before it.
    client.setConsent('granted');
    client.track('nps.submitted', { score: 10 });
    await client.flush();
    expect(net.received).toEqual(r.sentIds());
    expect(net.received).toHaveLength(1);
    expect(r.droppedIds()).not.toContain(net.received[0]);
    await client.close();
  });
});

describe('close', () => {
  it('leaves no timers, locks or listeners of the browser adapter behind', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    try {
      const locks = new FakeLocks();
      const win = new EventTarget();
      let listeners = 0;
      const counted = {
        addEventListener: (t: string, l: () => void) => {
          listeners++;
          win.addEventListener(t, l);
        },
        removeEventListener: (t: string, l: () => void) => {
          listeners--;
          win.removeEventListener(t, l);
        },
      };
      const platform = createBrowserPlatform({
        storage: new MemoryStorage(),
        locks: locks.forTab('a'),
        window: counted,
        document: counted,
      });
      const client = createClient({
        endpoint: API,
        siteKey: 'demo',
        platform,
        fetch: fakeFetch().fetch,
      });
      client.track('widget.opened', {});
      await vi.advanceTimersByTimeAsync(0);
      expect(listeners).toBe(2);
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      const closing = client.close();
      await vi.advanceTimersByTimeAsync(100);
      await closing;
      expect(vi.getTimerCount()).toBe(0);
      expect(listeners).toBe(0);
      expect(locks.holders()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
