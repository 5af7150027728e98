// The in-process hub of conversation changes: routes publish, streams subscribe. Between server
// processes on one PostgreSQL database the changes travel by LISTEN/NOTIFY; SLA changes are time
// events the hub schedules itself (one timer for the earliest instant, not a poll per client).
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { Logger } from '../options.js';
import type { Store } from '../store/store.js';

/**
 * What changed about a conversation: created, a message, closed or reopened (`status`), anything
 * else agents see (`changed`: notes, tags, assignment…), or a response-time state reached (`sla`).
 * Ids only: no text travels through the hub.
 */
export type LiveKind = 'created' | 'message' | 'status' | 'changed' | 'sla';

/** Response-time states the hub announces when their instant passes. */
export type LiveSlaState = 'due_soon' | 'overdue';

/** One change, as the hub publishes it to the streams. */
export interface LiveChange {
  kind: LiveKind;
  handoffId: string;
  /** Who wrote the message (`message` only). */
  from?: 'visitor' | 'agent';
  /** The state reached (`sla` only). */
  sla?: LiveSlaState;
}

/** A published change with its place in this process's sequence. */
export interface LiveEntry {
  /** `<process epoch>-<sequence>`, the SSE event id. */
  id: string;
  change: LiveChange;
}

/** Options of {@link createLiveHub}. */
export interface LiveHubOptions {
  store: Store;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** PostgreSQL URL: changes of other processes on it arrive by LISTEN/NOTIFY. @default none */
  databaseUrl?: string | undefined;
  /** "Due soon" starts this long before `respondBy` (issue 15's saved view "due in 1 h"). @default 3_600_000 */
  dueSoonMs?: number;
  /**
   * A comment line this often keeps proxies from closing an idle stream (many close after 30–60 s)
   * and re-checks the session, so a sign-out on another process ends the stream too.
   * @default 20_000
   */
  heartbeatMs?: number;
}

/** The hub the routes notify and the streams listen to. */
export interface LiveHub {
  /** Publishes a change here and to the other processes on the same database. */
  publish(change: LiveChange): void;
  /** Calls `listener` with every later change; returns the unsubscribe function. */
  subscribe(listener: (entry: LiveEntry) => void): () => void;
  /**
   * The changes after event id or start point `lastId` still held (the newest {@link LIVE_REPLAY}
   * of this process), or undefined when this process cannot vouch for them (another process's id
   * without a time or from before this one listened, or too old).
   */
  since(lastId: string): LiveEntry[] | undefined;
  /**
   * Where a page's live updates start, taken before it reads its data: this process's newest event
   * id and its clock (`<epoch>-<sequence>-<ms>`). The page opens its stream with `?after=` it, and
   * {@link LiveHub.since} replays what came after: by sequence on this process, by time (less
   * {@link LIVE_CLOCK_SKEW_MS}) on another one behind the same load balancer.
   */
  startPoint(): string;
  /** Ends the streams of a session (sign-out); `idHash` as the store keeps it. */
  endSession(idHash: string): void;
  /** Calls `listener` when a session ends; returns the unsubscribe function. */
  onSessionEnd(listener: (idHash: string) => void): () => void;
  /** Ends every open stream (shutdown: open streams would hold the HTTP server's close). */
  endStreams(): void;
  /** Calls `listener` on {@link LiveHub.endStreams}; returns the unsubscribe function. */
  onEndStreams(listener: () => void): () => void;
  /** How often the streams send a heartbeat and re-check their session or conversation. */
  heartbeatMs: number;
  /** Resolves once the LISTEN connection (if any) is ready and SLA timers are loaded. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Changes kept for `Last-Event-ID` replays: a few minutes of a busy inbox. */
export const LIVE_REPLAY = 500;

/**
 * How far the clocks of two instances may differ: a page's start point read on another instance
 * replays this much earlier (a change shown twice costs a refresh; one missed, a stale page).
 */
export const LIVE_CLOCK_SKEW_MS = 2000;

/** The PostgreSQL channel of the hub. */
export const LIVE_CHANNEL = 'lotse_live';

/** setTimeout holds at most 2^31 − 1 ms (≈ 24.8 days); later instants are re-armed then. */
const MAX_TIMER_MS = 2_147_483_647;

/** A NOTIFY payload: a change, or a session that signed out. */
interface Wire {
  origin: string;
  change?: unknown;
  session?: unknown;
}

function isChange(value: unknown): value is LiveChange {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.kind === 'created' ||
      v.kind === 'message' ||
      v.kind === 'status' ||
      v.kind === 'changed' ||
      v.kind === 'sla') &&
    typeof v.handoffId === 'string' &&
    v.handoffId.length <= 200
  );
}

/**
 * Starts the hub: loads the SLA instants of open, unanswered conversations and, on PostgreSQL,
 * listens for the changes of other processes.
 *
 * @example
 * const live = createLiveHub({ store, logger });
 * live.publish({ kind: 'created', handoffId });
 */
export function createLiveHub(options: LiveHubOptions): LiveHub {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const dueSoonMs = options.dueSoonMs ?? 3_600_000;
  const epoch = randomUUID().slice(0, 8);
  let sequence = 0;
  // The newest changes, each with its sequence and when it was published here or arrived.
  const recent: { entry: LiveEntry; seq: number; at: number }[] = [];
  // From then on this hub hears every process's changes (after LISTEN); before, none it did not make.
  let hearingSince = Number.POSITIVE_INFINITY;
  const listeners = new Set<(entry: LiveEntry) => void>();
  const sessionListeners = new Set<(idHash: string) => void>();
  const endListeners = new Set<() => void>();
  let closed = false;
  // Store reads in flight, so that close() waits for them before the store closes.
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>, what: string) => {
    const p = work.catch((error: unknown) => logger.error(`live: ${what} failed`, error));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const emit = (change: LiveChange) => {
    sequence += 1;
    const entry = { id: `${epoch}-${sequence}`, change };
    recent.push({ entry, seq: sequence, at: now() });
    if (recent.length > LIVE_REPLAY) recent.shift();
    for (const listener of listeners) listener(entry);
  };

  // SLA instants: handoff id → the instants still to come; one timer for the earliest.
  const instants = new Map<string, { at: number; sla: LiveSlaState }[]>();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const list of instants.values()) for (const i of list) earliest = Math.min(earliest, i.at);
    if (earliest === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, earliest - now())));
    timer.unref();
  };
  const fire = () => {
    timer = undefined;
    const t = now();
    const due: { handoffId: string; sla: LiveSlaState }[] = [];
    for (const [handoffId, list] of instants) {
      const passed = list.filter((i) => i.at <= t);
      if (passed.length === 0) continue;
      const rest = list.filter((i) => i.at > t);
      if (rest.length === 0) instants.delete(handoffId);
      else instants.set(handoffId, rest);
      // Of several passed instants (a sleeping laptop, a late start) only the latest state counts.
      due.push({ handoffId, sla: passed.at(-1)!.sla });
    }
    arm();
    for (const { handoffId, sla } of due) {
      track(
        (async () => {
          // Replied or closed meanwhile (perhaps on another process): nothing to announce.
          const h = await store.getHandoff(handoffId);
          if (!closed && h !== undefined && h.status === 'open' && h.firstReplyAt === null) {
            emit({ kind: 'sla', handoffId, sla });
          }
        })(),
        'SLA check',
      );
    }
  };
  // The newest read of a handoff wins: reads of two quick changes may come back in either order.
  const reads = new Map<string, number>();
  const schedule = async (handoffId: string) => {
    const read = (reads.get(handoffId) ?? 0) + 1;
    reads.set(handoffId, read);
    const h = await store.getHandoff(handoffId);
    if (reads.get(handoffId) !== read) return;
    reads.delete(handoffId);
    if (closed) return;
    if (h === undefined || h.status !== 'open' || h.firstReplyAt !== null) {
      if (instants.delete(handoffId)) arm();
      return;
    }
    const respondBy = Date.parse(h.respondBy);
    const t = now();
    const list = [
      { at: respondBy - dueSoonMs, sla: 'due_soon' as const },
      // "Overdue" is strictly after respondBy (inbox-format.ts responseState).
      { at: respondBy + 1, sla: 'overdue' as const },
    ].filter((i) => i.at > t);
    if (list.length === 0) instants.delete(handoffId);
    else instants.set(handoffId, list);
    arm();
  };
  const reschedule = (change: LiveChange) => {
    // Only these can change a response-time state (status, first reply); notes and tags cannot.
    if (change.kind === 'sla' || change.kind === 'changed' || closed) return;
    track(schedule(change.handoffId), 'SLA schedule');
  };

  const origin = randomUUID();
  let sql: postgres.Sql | undefined;
  const receive = (payload: string) => {
    let wire: Wire | null;
    try {
      wire = JSON.parse(payload) as Wire | null;
    } catch {
      return;
    }
    if (typeof wire !== 'object' || wire === null || wire.origin === origin) return;
    const { session } = wire;
    if (typeof session === 'string') {
      for (const listener of sessionListeners) listener(session);
      return;
    }
    if (!isChange(wire.change)) return;
    emit(wire.change);
    reschedule(wire.change);
  };
  const notify = (payload: object) => {
    if (sql === undefined) return;
    // Ids only, far below NOTIFY's 8000-byte payload limit.
    sql
      .notify(LIVE_CHANNEL, JSON.stringify({ origin, ...payload }))
      .catch((error: unknown) => logger.error('live: NOTIFY failed', error));
  };

  const ready = (async () => {
    if (options.databaseUrl !== undefined) {
      sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
      await sql.listen(LIVE_CHANNEL, receive);
    }
    hearingSince = now();
    const open = await store.listHandoffs({ status: 'open', limit: 10_000 });
    await Promise.all(open.filter((h) => h.firstReplyAt === null).map((h) => schedule(h.id)));
  })().catch((error: unknown) => logger.error('live: start failed', error));

  return {
    publish(change) {
      emit(change);
      reschedule(change);
      notify({ change });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(lastId) {
      const point = /^([0-9a-f]{8})-(\d+)(?:-(\d+))?$/.exec(lastId);
      if (point === null) return undefined;
      const [, of, seq, at] = point;
      if (of === epoch) {
        const n = Number(seq);
        if (n > sequence) return undefined;
        if (n < (recent[0]?.seq ?? 0) - 1) return undefined;
        return recent.filter((r) => r.seq > n).map((r) => r.entry);
      }
      // Another process's start point: by time, if this hub heard every change since then and
      // still holds them (a full buffer whose oldest is later may have dropped some).
      if (at === undefined) return undefined;
      const from = Number(at) - LIVE_CLOCK_SKEW_MS;
      if (from < hearingSince) return undefined;
      if (recent.length === LIVE_REPLAY && recent[0]!.at > from) return undefined;
      return recent.filter((r) => r.at >= from).map((r) => r.entry);
    },
    startPoint: () => `${epoch}-${sequence}-${now()}`,
    endSession(idHash) {
      for (const listener of sessionListeners) listener(idHash);
      notify({ session: idHash });
    },
    onSessionEnd(listener) {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
    endStreams() {
      for (const listener of [...endListeners]) listener();
    },
    onEndStreams(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    heartbeatMs: options.heartbeatMs ?? 20_000,
    ready,
    async close() {
      closed = true;
      for (const listener of [...endListeners]) listener();
      if (timer !== undefined) clearTimeout(timer);
      listeners.clear();
      sessionListeners.clear();
      await ready;
      while (pending.size > 0) await Promise.all(pending);
      await sql?.end({ timeout: 1 });
    },
  };
}
