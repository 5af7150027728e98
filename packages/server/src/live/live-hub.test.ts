import { expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import { handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';
import { createLiveHub, LIVE_CLOCK_SKEW_MS, LIVE_REPLAY, type LiveChange } from './live-hub.js';

/** Collects a hub's changes; `next` resolves with the first (from the start) that matches. */
function collect(hub: ReturnType<typeof createLiveHub>) {
  const seen: LiveChange[] = [];
  const waiters: { match: (c: LiveChange) => boolean; done: (c: LiveChange) => void }[] = [];
  hub.subscribe(({ change }) => {
    seen.push(change);
    for (const w of [...waiters]) {
      if (w.match(change)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(change);
      }
    }
  });
  return {
    seen,
    next: (match: (c: LiveChange) => boolean) =>
      new Promise<LiveChange>((done) => {
        const found = seen.find(match);
        if (found !== undefined) done(found);
        else waiters.push({ match, done });
      }),
  };
}

/**
 * A clock that stands at `at` until `start()`, then runs with the wall clock: the hub's SLA
 * instants count from `start()`, however long the store's reads and writes before it took.
 */
function heldClock(at: number) {
  let since: number | undefined;
  return {
    now: () => (since === undefined ? at : at + Date.now() - since),
    start: () => {
      since = Date.now();
    },
  };
}

describeOpenStores('live hub', (t) => {
  it('hands each published change to every subscriber with an increasing id, and replays after an id', async () => {
    const hub = createLiveHub({ store: t.store, logger: silentLogger });
    await hub.ready;
    const ids: string[] = [];
    hub.subscribe((e) => ids.push(e.id));
    const seen = collect(hub);
    hub.publish({ kind: 'created', handoffId: 'h1' });
    hub.publish({ kind: 'message', handoffId: 'h1', from: 'visitor' });
    hub.publish({ kind: 'changed', handoffId: 'h2' });
    expect(seen.seen).toEqual([
      { kind: 'created', handoffId: 'h1' },
      { kind: 'message', handoffId: 'h1', from: 'visitor' },
      { kind: 'changed', handoffId: 'h2' },
    ]);
    expect(hub.since(ids[0]!)?.map((e) => e.change.handoffId)).toEqual(['h1', 'h2']);
    expect(hub.since(ids[2]!)).toEqual([]);
    // An id of another process (or garbage) is unknown: the client reloads instead.
    expect(hub.since('other-1')).toBeUndefined();
    expect(hub.since(`${ids[0]!.split('-')[0]}-99`)).toBeUndefined();
    await hub.close();
  });

  it("replays after another process's start point by time, and asks for a reload when it cannot know", async () => {
    let clock = 1_000_000;
    const hub = createLiveHub({ store: t.store, logger: silentLogger, now: () => clock });
    await hub.ready;
    clock = 1_010_000;
    hub.publish({ kind: 'created', handoffId: 'early' });
    // Another instance renders a page at 1_020_000 by this clock; its own clock is 1.5 s ahead.
    const point = `0123abcd-7-${1_021_500}`;
    clock = 1_020_500;
    hub.publish({ kind: 'created', handoffId: 'just-after' });
    clock = 1_025_000;
    hub.publish({ kind: 'created', handoffId: 'later' });
    const replayed = (p: string) => hub.since(p)?.map((e) => e.change.handoffId);
    expect(LIVE_CLOCK_SKEW_MS).toBeGreaterThan(1500);
    expect(replayed(point)).toEqual(['just-after', 'later']);
    expect(replayed('0123abcd-7-1024000')).toEqual(['later']);
    // A point of this process counts by sequence, whatever its time says.
    const own = hub.startPoint();
    expect(own).toBe(`${own.split('-')[0]}-3-1025000`);
    expect(replayed(own)).toEqual([]);
    // From before this hub was listening, or without a time: it cannot know what it missed.
    expect(replayed('0123abcd-7-1001000')).toBeUndefined();
    expect(replayed('0123abcd-7')).toBeUndefined();
    // Nor once the changes after the point no longer all fit in what it keeps.
    clock = 1_030_000;
    for (let i = 0; i < LIVE_REPLAY; i++) hub.publish({ kind: 'changed', handoffId: `h${i}` });
    expect(replayed('0123abcd-7-1024000')).toBeUndefined();
    await hub.close();
  });

  it('announces "due within the hour" and then "overdue" for an open, unanswered conversation, once each', async () => {
    const start = Date.now();
    // The hub's clock stands still until it has read the store, which a loaded machine may make
    // slow; from then on its instants come 3 s apart.
    const clock = heldClock(start);
    const h = handoffRow({ respondBy: new Date(start + 6000).toISOString() });
    await t.store.insertHandoff(h);
    const answered = handoffRow({ respondBy: new Date(start + 4000).toISOString() });
    await t.store.insertHandoff(answered);
    await t.store.updateHandoff(answered.id, { firstReplyAt: start });
    // "Due soon" 3 s before respondBy stands for the hour: the same schedule, shorter.
    const hub = createLiveHub({
      store: t.store,
      logger: silentLogger,
      dueSoonMs: 3000,
      now: clock.now,
    });
    const seen = collect(hub);
    await hub.ready;
    clock.start();
    const overdue = await seen.next((c) => c.kind === 'sla' && c.sla === 'overdue');
    expect(overdue.handoffId).toBe(h.id);
    expect(clock.now()).toBeGreaterThan(start + 6000);
    expect(seen.seen.filter((c) => c.kind === 'sla')).toEqual([
      { kind: 'sla', handoffId: h.id, sla: 'due_soon' },
      { kind: 'sla', handoffId: h.id, sla: 'overdue' },
    ]);
    await hub.close();
  });

  it('schedules a new conversation when it is published and drops one answered meanwhile', async () => {
    const now = Date.now();
    // The hub's clock stands still until the writes below are done, however long they take.
    const clock = heldClock(now);
    // An instant kept for the answered one would read it again when it passes (and announce
    // nothing): the reads tell a dropped schedule from a kept one.
    const reads: string[] = [];
    const store = {
      ...t.store,
      getHandoff: (id: string) => {
        reads.push(id);
        return t.store.getHandoff(id);
      },
    };
    const hub = createLiveHub({
      store,
      logger: silentLogger,
      dueSoonMs: 1000,
      now: clock.now,
    });
    await hub.ready;
    const seen = collect(hub);
    // The answered one's instants (+3 s, +4 s) come before the fresh one's overdue (+6 s).
    const fresh = handoffRow({ respondBy: new Date(now + 6000).toISOString() });
    const replied = handoffRow({ respondBy: new Date(now + 4000).toISOString() });
    await t.store.insertHandoff(fresh);
    await t.store.insertHandoff(replied);
    hub.publish({ kind: 'created', handoffId: replied.id });
    hub.publish({ kind: 'created', handoffId: fresh.id });
    // Answered before its instants: the reply's change removes them.
    await t.store.updateHandoff(replied.id, { firstReplyAt: now });
    hub.publish({ kind: 'message', handoffId: replied.id, from: 'agent' });
    clock.start();
    await seen.next((c) => c.kind === 'sla' && c.sla === 'overdue' && c.handoffId === fresh.id);
    expect(seen.seen.filter((c) => c.kind === 'sla' && c.handoffId === replied.id)).toEqual([]);
    // Read when created and when answered, never for an instant.
    expect(reads.filter((id) => id === replied.id)).toHaveLength(2);
    await hub.close();
  });
});
