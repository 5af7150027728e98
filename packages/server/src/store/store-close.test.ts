import postgres from 'postgres';
import { expect, it } from 'vitest';
import { handoffRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';

describeStores('closing a store', (target) => {
  it('refuses a read after the close at once', async () => {
    const { store, cleanup } = await target.open();
    try {
      await store.close();
      await expect(store.getHandoff('any')).rejects.toThrow();
    } finally {
      await cleanup();
    }
  });

  // A server's close meets reads still in flight (a live stream's heartbeat, an SLA check): the
  // close must end, and the read still get its answer. On PostgreSQL only: SQLite reads there are
  // synchronous, never in flight across the close.
  if (target.kind === 'postgres')
    it('ends while a read is in flight, and the read gets its answer', async () => {
      const { store, databaseUrl, cleanup } = await target.open();
      const locker = databaseUrl === undefined ? undefined : postgres(databaseUrl, { max: 2 });
      try {
        const h = handoffRow();
        await store.insertHandoff(h);
        let release = () => {};
        let holding: Promise<unknown> = Promise.resolve();
        if (locker !== undefined) {
          // On PostgreSQL the read waits behind a table lock, so that it holds its connection
          // while the close begins (postgres.js then never ended that connection without a timeout).
          const released = new Promise<void>((resolve) => {
            release = resolve;
          });
          let locked!: () => void;
          const isLocked = new Promise<void>((resolve) => {
            locked = resolve;
          });
          holding = locker.begin(async (tx) => {
            await tx`lock table handoffs in access exclusive mode`;
            locked();
            await released;
          });
          await isLocked;
        }
        const read = store.getHandoff(h.id);
        if (locker !== undefined) {
          await expect
            .poll(async () => {
              const [row] = await locker`
              select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`;
              return row?.n;
            })
            .toBeGreaterThan(0);
        }
        // The derivation thread never started here, so the close reaches the clients' end within
        // microtasks, before the lock (a round trip away) can let the read finish.
        const closing = store.close();
        release();
        await holding;
        await closing;
        expect(await read).toMatchObject({ id: h.id, ticketId: h.ticketId });
      } finally {
        await locker?.end({ timeout: 1 });
        await cleanup();
      }
    });
});
