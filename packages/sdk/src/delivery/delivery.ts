import { LotseError } from '../errors.js';
import type { Outbox } from '../platform.js';
import type { LotseEvent } from '../schema/events.js';
import { failureError, type Send } from '../transport.js';
import { BATCH_OVERHEAD, fitBatch, utf8Length } from './batch.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry.js';

/** Consent state: nothing is stored or sent unless it is `granted`. */
export type Consent = 'granted' | 'denied' | 'pending';

/**
 * Why events were dropped (stable codes): `rejected` (the server refused this event, see `code`
 * and `field`), `request_rejected` (a non-retryable 4xx for the whole request), `too_large` (one
 * event over 64 KB), `outbox_full` (oldest dropped to keep the bound), `pending_overflow` (too many
 * events waiting for consent or for the schemas of `validate: true`), `consent_denied`,
 * `retries_exhausted`, `closed`.
 */
export type DropReason =
  | 'rejected'
  | 'request_rejected'
  | 'too_large'
  | 'outbox_full'
  | 'pending_overflow'
  | 'consent_denied'
  | 'retries_exhausted'
  | 'closed';

/** Payload of `on('drop')`. */
export interface DropInfo {
  events: LotseEvent[];
  reason: DropReason;
  /** The server's code: per-event rejection code or error body code. */
  code?: string;
  /** Dotted path of the field the server rejected. */
  field?: string;
  /** HTTP status, for `request_rejected` and `too_large`. */
  status?: number;
}

/** Payload of `on('sent')`: events the server acknowledged (stored or recognised as duplicates). */
export interface SentInfo {
  events: LotseEvent[];
}

/** Settings and hooks the delivery runs with (resolved by the client). */
export interface DeliveryConfig {
  url: string;
  send: Send;
  timeout: number;
  batchSize: number;
  maxBatchBytes: number;
  flushInterval: number;
  maxQueue: number;
  maxPending: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxRetryAfterMs: number;
  maxAttempts: number;
  random: () => number;
  outbox?: Outbox | undefined;
  beacon?: ((url: string, body: string) => boolean) | undefined;
  later: (ms: number, fn: () => void) => () => void;
  sent: (info: SentInfo) => void;
  drop: (info: DropInfo) => void;
  error: (error: LotseError) => void;
}

/** The delivery engine behind a client: queue, batches, retries, outbox. */
export interface Delivery {
  add(event: LotseEvent): void;
  flush(): Promise<void>;
  setConsent(consent: Consent): void;
  pageHide(): void;
  close(timeoutMs: number): Promise<void>;
  /** Events waiting for consent plus events not yet acknowledged. */
  size(): number;
}

interface Entry {
  e: LotseEvent;
  /** Serialised size in bytes. */
  n: number;
  /** Arrival order, for `flush()`. */
  s: number;
}

/** Creates the delivery engine; one batch is in flight at a time. */
export function createDelivery(c: DeliveryConfig, initial: Consent): Delivery {
  let consent = initial;
  let queue: Entry[] = [];
  let pending: LotseEvent[] = [];
  let waiters: { s: number; done: () => void }[] = [];
  let seq = 0;
  let inFlight = 0;
  let attempt = 0;
  let split = 0;
  // Bumped by denial and close: answers to requests of an older generation are ignored.
  let gen = 0;
  let backingOff = false;
  let cancel: (() => void) | undefined;
  let ctl: AbortController | undefined;
  let opened = false;
  let closed = false;
  let saveQueued = false;

  const drop = (
    events: LotseEvent[],
    reason: DropReason,
    extra?: Omit<DropInfo, 'events' | 'reason'>,
  ) => {
    if (events.length) c.drop({ events, reason, ...extra });
  };

  const settle = () => {
    const head = queue[0]?.s ?? Number.POSITIVE_INFINITY;
    const done = waiters.filter((w) => w.s < head);
    waiters = waiters.filter((w) => w.s >= head);
    for (const w of done) w.done();
  };

  const save = () => {
    if (!c.outbox || !opened || closed || consent !== 'granted') return;
    try {
      c.outbox.save(queue.map((x) => x.e));
    } catch (cause) {
      c.error(
        new LotseError(
          `[lotse] Could not store ${queue.length} events in the outbox; they stay in memory.`,
          'storage_failed',
          { cause },
        ),
      );
    }
  };

  const persist = () => {
    if (!c.outbox || saveQueued) return;
    saveQueued = true;
    // One write per burst of calls: tracking 1000 events in a loop stores once.
    queueMicrotask(() => {
      saveQueued = false;
      save();
    });
  };

  const schedule = () => {
    if (closed || consent !== 'granted' || inFlight || backingOff || !queue.length) return;
    if (queue.length >= c.batchSize || waiters.length || !c.flushInterval) {
      void pump();
    } else {
      cancel ??= c.later(c.flushInterval, () => {
        cancel = undefined;
        void pump();
      });
    }
  };

  const enqueue = (e: LotseEvent) => {
    const n = utf8Length(JSON.stringify(e));
    if (n + BATCH_OVERHEAD > c.maxBatchBytes) return drop([e], 'too_large');
    queue.push({ e, n, s: ++seq });
    if (queue.length > c.maxQueue) {
      // Oldest first, but never an event already in flight: its answer will settle it.
      const over = queue.splice(inFlight, queue.length - c.maxQueue);
      drop(
        over.map((x) => x.e),
        'outbox_full',
      );
    }
    persist();
    schedule();
  };

  const add = (e: LotseEvent) => {
    if (closed) return drop([e], 'closed');
    if (consent === 'denied') return drop([e], 'consent_denied');
    if (consent === 'granted') return enqueue(e);
    pending.push(e);
    if (pending.length > c.maxPending) {
      drop(pending.splice(0, pending.length - c.maxPending), 'pending_overflow');
    }
  };

  const adopt = (events: readonly unknown[]) => {
    const known = new Set(queue.map((x) => x.e.id));
    for (const e of events) {
      const id = (e as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && !known.has(id)) {
        known.add(id);
        add(e as LotseEvent);
      }
    }
  };

  const settleBatch = (events: LotseEvent[], body: unknown) => {
    const rejected = (body as { rejected?: unknown } | undefined)?.rejected;
    const out = new Set<number>();
    if (Array.isArray(rejected)) {
      for (const r of rejected as { index?: unknown; code?: unknown; field?: unknown }[]) {
        const e = typeof r?.index === 'number' ? events[r.index] : undefined;
        if (!e || out.has(r.index as number)) continue;
        out.add(r.index as number);
        drop([e], 'rejected', {
          code: typeof r.code === 'string' ? r.code : 'invalid_event',
          ...(typeof r.field === 'string' && { field: r.field }),
        });
      }
    }
    const ok = out.size ? events.filter((_, i) => !out.has(i)) : events;
    if (ok.length) c.sent({ events: ok });
  };

  const pump = async (): Promise<void> => {
    cancel?.();
    cancel = undefined;
    if (closed || consent !== 'granted' || inFlight || !queue.length) return;
    const count = Math.max(1, fitBatch(queue, 0, split || c.batchSize, c.maxBatchBytes));
    const events = queue.slice(0, count).map((x) => x.e);
    const g = gen;
    inFlight = count;
    ctl = new AbortController();
    const r = await c.send('post', c.url, { events }, ctl.signal);
    if (g !== gen) return;
    inFlight = 0;
    let delay: number | undefined;
    const finish = () => queue.splice(0, count);
    const what = `send ${count} event${count > 1 ? 's' : ''} to`;
    if (r.status >= 200 && r.status < 300) {
      finish();
      attempt = 0;
      settleBatch(events, r.body);
    } else if (r.status === 413 && count > 1) {
      // The server's limit is lower than ours: halve until it fits.
      split = Math.ceil(count / 2);
    } else if (r.failure || isRetryableStatus(r.status)) {
      delay =
        parseRetryAfter(r.retryAfter, Date.now(), c.maxRetryAfterMs) ??
        backoffDelay(attempt, c.retryBaseMs, c.retryMaxMs, c.random);
    } else {
      finish();
      const error = failureError(what, c.url, r, c.timeout);
      drop(events, r.status === 413 ? 'too_large' : 'request_rejected', {
        status: r.status,
        code: error.code,
      });
      c.error(error);
    }
    if (delay !== undefined) {
      if (++attempt >= c.maxAttempts) {
        finish();
        attempt = 0;
        drop(events, 'retries_exhausted');
        c.error(failureError(what, c.url, r, c.timeout));
      } else {
        backingOff = true;
        c.error(failureError(what, c.url, r, c.timeout, delay));
        cancel = c.later(delay, () => {
          backingOff = false;
          void pump();
        });
      }
    }
    if (!queue.length) split = 0;
    persist();
    settle();
    schedule();
  };

  const openOutbox = () => {
    if (opened || !c.outbox) return;
    opened = true;
    c.outbox.open(adopt);
  };

  const stop = () => {
    gen++;
    ctl?.abort();
    cancel?.();
    cancel = undefined;
    inFlight = 0;
    backingOff = false;
    attempt = 0;
  };

  if (consent === 'granted') openOutbox();

  return {
    add,
    size: () => queue.length + pending.length,
    flush() {
      if (closed || consent !== 'granted' || !queue.length) return Promise.resolve();
      return new Promise((done) => {
        waiters.push({ s: seq, done });
        schedule();
      });
    },
    setConsent(next) {
      if (next === consent || closed) return;
      consent = next;
      if (next === 'denied') {
        stop();
        const all = [...pending, ...queue.map((x) => x.e)];
        pending = [];
        queue = [];
        drop(all, 'consent_denied');
        try {
          c.outbox?.clear();
        } catch {}
        settle();
      } else if (next === 'granted') {
        openOutbox();
        const waiting = pending;
        pending = [];
        for (const e of waiting) enqueue(e);
      }
    },
    pageHide() {
      if (consent !== 'granted' || !queue.length) return;
      // Store first: if the beacon is lost, the next page load sends these again (deduplicated by id).
      save();
      if (!c.beacon) return;
      for (let i = 0; i < queue.length; ) {
        const n = Math.max(1, fitBatch(queue, i, c.batchSize, c.maxBatchBytes));
        c.beacon(c.url, JSON.stringify({ events: queue.slice(i, i + n).map((x) => x.e) }));
        i += n;
      }
    },
    async close(timeoutMs) {
      if (closed) return;
      let stopWaiting: (() => void) | undefined;
      await Promise.race([
        this.flush(),
        new Promise<void>((done) => {
          stopWaiting = c.later(timeoutMs, done);
        }),
      ]);
      stopWaiting?.();
      save();
      closed = true;
      stop();
      const left = queue.map((x) => x.e);
      // With a persistent outbox the rest waits for the next page; in memory it is gone, so say so.
      if (!(c.outbox && opened)) drop(left, 'closed');
      c.outbox?.close();
      drop(pending, 'closed');
      queue = [];
      pending = [];
      settle();
    },
  };
}
