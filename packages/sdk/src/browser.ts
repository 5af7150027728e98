// The one file that touches browser APIs: page hide, sendBeacon, localStorage, Web Locks.
// The client receives it as `platform` rather than importing it (like Floating UI's `platform`).
import type { EventStream, Outbox, Platform } from './platform.js';

/** The part of `localStorage` the outbox uses (a `Map`-backed fake works in tests). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of `navigator.locks` (Web Locks API) the outbox uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** The part of `window` and `document` page-hide delivery listens to. */
export interface PageLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  visibilityState?: string;
}

/** Options of {@link createBrowserPlatform}; every browser object can be replaced for tests. */
export interface BrowserPlatformOptions {
  /** @default globalThis.localStorage (none where access throws, e.g. sandboxed frames); `undefined`: no outbox */
  storage?: StorageLike | undefined;
  /** @default navigator.locks; `undefined`: one tab drains by a lease in storage */
  locks?: LockManagerLike | undefined;
  /** @default window */
  window?: PageLike;
  /** @default document */
  document?: PageLike;
  /** @default navigator.sendBeacon, then fetch with keepalive */
  beacon?: (url: string, body: string) => boolean;
  /** @default navigator.globalPrivacyControl or navigator.doNotTrack === '1' */
  doNotTrack?: () => boolean;
  /**
   * How often the draining tab looks for events of closed tabs, in ms.
   * @default 10000
   */
  tickMs?: number;
  /**
   * Without Web Locks: after how long without a heartbeat a tab counts as gone, in ms.
   * @default 30000
   */
  staleMs?: number;
}

interface Record {
  t: number;
  e: unknown[];
}

const tryGet = <T>(get: () => T): T | undefined => {
  try {
    return get();
  } catch {
    return undefined;
  }
};

const parse = (raw: string | null): Record | undefined => {
  const r = tryGet(() => JSON.parse(raw ?? 'null') as Record | null);
  return r && Array.isArray(r.e) ? r : undefined;
};

/**
 * Creates the browser platform: a per-tab outbox in localStorage whose leftovers (reloads, closed
 * tabs) one tab adopts under a Web Lock, delivery on page hide, and Do Not Track detection.
 * @example
 * createClient({ endpoint, siteKey: 'demo', platform: createBrowserPlatform() });
 */
export function createBrowserPlatform(options: BrowserPlatformOptions = {}): Platform {
  const g = globalThis as unknown as {
    localStorage?: StorageLike;
    navigator?: Navigator & { globalPrivacyControl?: boolean; locks?: LockManagerLike };
    window?: PageLike;
    document?: PageLike;
    doNotTrack?: string;
  };
  const nav = g.navigator;
  const storage = 'storage' in options ? options.storage : tryGet(() => g.localStorage);
  const locks = 'locks' in options ? options.locks : nav?.locks;
  const win = options.window ?? g.window;
  const doc = options.document ?? g.document;
  const tickMs = options.tickMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;

  const beacon =
    options.beacon ??
    ((url: string, body: string): boolean => {
      // A string body goes out as text/plain: a CORS "simple" request, so no preflight at unload.
      if (tryGet(() => nav?.sendBeacon(url, body))) return true;
      return !!tryGet(() => {
        void fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {});
        return true;
      });
    });

  const createOutbox = (scope: string): Outbox => {
    const tab = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    const prefix = `lotse:${scope}:`;
    const boxes = `${prefix}outbox:`;
    const mine = boxes + tab;
    const tabLock = (id: string) => `${prefix}tab:${id}`;
    const aborter = new AbortController();
    const release: (() => void)[] = [];
    let timer: ReturnType<typeof setInterval> | undefined;
    let owned = !locks;
    let leader = false;
    let adopt: (events: readonly unknown[]) => void = () => {};

    // Holds a lock until `close`; resolves the returned promise once it is granted.
    const hold = (name: string, onGranted: () => void) =>
      locks
        ?.request(name, { signal: aborter.signal }, () => {
          onGranted();
          return new Promise<void>((done) => release.push(done));
        })
        .catch(() => {});

    const keys = (): string[] => {
      const out: string[] = [];
      const length = tryGet(() => storage?.length) ?? 0;
      for (let i = 0; i < length; i++) {
        const k = tryGet(() => storage?.key(i));
        if (k?.startsWith(boxes) && k !== mine) out.push(k);
      }
      return out;
    };

    const takeLease = (): boolean => {
      const key = `${prefix}lease`;
      const now = Date.now();
      const lease = tryGet(
        () => JSON.parse(storage?.getItem(key) ?? 'null') as { tab: string; until: number } | null,
      );
      if (lease && lease.tab !== tab && lease.until > now) return false;
      storage?.setItem(key, JSON.stringify({ tab, until: now + staleMs }));
      return true;
    };

    const drain = async () => {
      if (!storage || aborter.signal.aborted) return;
      const alive = new Set<string>();
      if (locks) {
        if (!leader) return;
        const held = (await locks.query())?.held ?? [];
        for (const l of held) if (l.name) alive.add(l.name);
      } else {
        // Heartbeat: without Web Locks, a tab is alive while its record is fresh.
        const own = parse(tryGet(() => storage.getItem(mine)) ?? null);
        if (own) tryGet(() => storage.setItem(mine, JSON.stringify({ ...own, t: Date.now() })));
        if (!tryGet(takeLease)) return;
      }
      const found: unknown[] = [];
      for (const key of keys()) {
        const rec = parse(tryGet(() => storage.getItem(key)) ?? null);
        const gone = locks
          ? !alive.has(tabLock(key.slice(boxes.length)))
          : !rec || rec.t < Date.now() - staleMs;
        if (gone) {
          tryGet(() => storage.removeItem(key));
          if (rec) found.push(...rec.e);
        }
      }
      if (found.length && !aborter.signal.aborted) adopt(found);
    };
    // Runs on a timer, outside any caller: a failing lock manager or storage (or `adopt`) must never
    // become an unhandled rejection in the host page. The next tick tries again.
    const tick = () => drain().catch(() => {});

    return {
      open(onAdopt) {
        adopt = onAdopt;
        if (!storage) return;
        hold(tabLock(tab), () => {
          owned = true;
        });
        if (locks) {
          hold(`${prefix}drain`, () => {
            leader = true;
            void tick();
          });
        } else {
          void tick();
        }
        timer = setInterval(() => void tick(), tickMs);
      },
      save(events) {
        // Until this tab holds its own lock another tab could take the record for an orphan.
        if (!storage || !owned) return;
        if (events.length) storage.setItem(mine, JSON.stringify({ t: Date.now(), e: events }));
        else storage.removeItem(mine);
      },
      clear() {
        for (const key of [...keys(), mine]) tryGet(() => storage?.removeItem(key));
      },
      close() {
        clearInterval(timer);
        aborter.abort();
        for (const done of release.splice(0)) done();
      },
    };
  };

  const Source = (g as { EventSource?: new (url: string) => EventStream }).EventSource;
  return {
    ...(storage && { createOutbox }),
    ...(Source && { openEventStream: (url: string) => new Source(url) }),
    beacon,
    onPageHide(listener) {
      const onVisibility = () => {
        if (doc?.visibilityState === 'hidden') listener();
      };
      win?.addEventListener('pagehide', listener);
      doc?.addEventListener('visibilitychange', onVisibility);
      return () => {
        win?.removeEventListener('pagehide', listener);
        doc?.removeEventListener('visibilitychange', onVisibility);
      };
    },
    doNotTrack:
      options.doNotTrack ??
      (() => nav?.globalPrivacyControl === true || nav?.doNotTrack === '1' || g.doNotTrack === '1'),
  };
}
