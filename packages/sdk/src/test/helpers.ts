import type { LotseError } from '../errors.js';
import type { DropInfo, LotseClient, SentInfo } from '../index.js';
import type { Outbox, Platform } from '../platform.js';

/** Records everything a client reports. */
export function record(client: LotseClient) {
  const sent: SentInfo[] = [];
  const drops: DropInfo[] = [];
  const errors: LotseError[] = [];
  client.on('sent', (i) => sent.push(i));
  client.on('drop', (i) => drops.push(i));
  client.on('error', (e) => errors.push(e));
  return {
    sent,
    drops,
    errors,
    sentIds: () => sent.flatMap((s) => s.events.map((e) => e.id)),
    droppedIds: () => drops.flatMap((d) => d.events.map((e) => e.id)),
  };
}

/** A platform whose outbox and listeners live in memory and can be inspected. */
export function memoryPlatform(initial: unknown[] = []) {
  const state = {
    saved: [...initial] as unknown[],
    maxSaved: 0,
    saves: 0,
    cleared: 0,
    opened: 0,
    closed: 0,
    listeners: new Set<() => void>(),
    beacons: [] as { url: string; body: string }[],
    failSave: false,
  };
  const outbox: Outbox = {
    open(adopt) {
      state.opened++;
      if (state.saved.length) adopt(state.saved);
    },
    save(events) {
      if (state.failSave) throw new Error('QuotaExceededError');
      state.saves++;
      state.saved = [...events];
      state.maxSaved = Math.max(state.maxSaved, events.length);
    },
    clear() {
      state.cleared++;
      state.saved = [];
    },
    close() {
      state.closed++;
    },
  };
  const platform: Platform = {
    createOutbox: () => outbox,
    onPageHide(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    beacon(url, body) {
      state.beacons.push({ url, body });
      return true;
    },
  };
  const hide = () => {
    for (const l of [...state.listeners]) l();
  };
  return { platform, state, hide };
}

/** Resolves after pending microtasks and I/O callbacks have run. */
export const tick = () => new Promise<void>((r) => setImmediate(r));

/** A small seeded PRNG (mulberry32) so fault sequences repeat from run to run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fetch that answers POST /v1/events from memory: `up()` decides per request whether to fail. */
export function fakeFetch(up: () => boolean = () => true) {
  const received: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!up()) throw new TypeError('fetch failed');
    const { events } = (await request.json()) as { events: { id: string }[] };
    for (const e of events) received.push(e.id);
    return Response.json({ accepted: events.length, duplicates: 0, rejected: [] }, { status: 202 });
  };
  return { fetch: fetch as typeof globalThis.fetch, received };
}

/** A `localStorage` stand-in backed by a Map, with an optional quota in characters. */
export class MemoryStorage {
  readonly map = new Map<string, string>();
  constructor(readonly quota = Number.POSITIVE_INFINITY) {}
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    let used = v.length;
    for (const [key, value] of this.map) if (key !== k) used += value.length;
    if (used > this.quota) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

/**
 * An in-memory Web Locks manager shared by simulated tabs: exclusive locks, a FIFO queue per name,
 * `signal` to give up waiting, and `kill(tab)` to release everything a crashed or reloaded tab held.
 */
export class FakeLocks {
  private held = new Map<string, { tab: string; release: () => void }>();
  private queue: { name: string; tab: string; grant: () => void; reject: (e: unknown) => void }[] =
    [];

  forTab(tab: string) {
    return {
      request: (name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>) =>
        new Promise<unknown>((resolve, reject) => {
          const grant = () => {
            let release = () => {};
            const done = new Promise<void>((r) => {
              release = r;
            });
            this.held.set(name, { tab, release });
            const finish = () => {
              if (this.held.get(name)?.tab === tab) this.held.delete(name);
              this.next(name);
              resolve(undefined);
            };
            void Promise.race([callback(), done]).then(finish, finish);
          };
          const entry = { name, tab, grant, reject };
          options.signal?.addEventListener('abort', () => {
            const i = this.queue.indexOf(entry);
            if (i >= 0) {
              this.queue.splice(i, 1);
              reject(new DOMException('aborted', 'AbortError'));
            }
          });
          if (this.held.has(name)) this.queue.push(entry);
          else grant();
        }),
      query: async () => ({ held: [...this.held.keys()].map((name) => ({ name })) }),
    };
  }

  private next(name: string) {
    const i = this.queue.findIndex((q) => q.name === name);
    if (i >= 0) this.queue.splice(i, 1)[0]!.grant();
  }

  /** The tab is gone: its locks are released and its waiting requests forgotten. */
  kill(tab: string) {
    this.queue = this.queue.filter((q) => q.tab !== tab);
    for (const [, h] of [...this.held].filter(([, h]) => h.tab === tab)) h.release();
  }

  holders(): string[] {
    return [...this.held.keys()];
  }
}
