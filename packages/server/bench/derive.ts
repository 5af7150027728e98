// The dashboard's derivation (part of `pnpm bench:server`; alone: `BENCH_ONLY=derive pnpm
// bench:server`): the CPU it takes to fold a backlog of 50 000 stored events into conversations and
// facts, on SQLite and PostgreSQL, for sessions of 8, 20 and 40 events. During ingestion the same
// kind of work runs beside the requests on the same cores (issue 13), sessions derived again as
// their events arrive. Node's CPU is this process's with its threads; PostgreSQL's is read from
// /proc (bench/postgres-cpu.ts; n/a where no postgres process is visible). A warm-up of 10 000
// events is derived first, so that starting PostgreSQL's deriving thread (it starts on the first
// derivation), loading its modules and compiling its code are not counted: that took 1.5–1.8 s of
// Node CPU, about as much as deriving the 50 000 events in sessions of 20 or 40.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEvent } from '@lotse/sdk/schema';
import { deriveDirtySessions } from '../src/dashboard/pre-aggregate.js';
import { eventRowOf } from '../src/ingest/events-route.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { seconds } from './format.js';
import { oneSessionEvent } from './one-session-load.js';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';

const totalEvents = 50_000;
const warmupEvents = 10_000;
const sessionSizes = [8, 20, 40];
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';

/** Stores `events` events in new sessions of `size` each. */
async function storeSessions(store: Store, events: number, size: number) {
  const startTs = Date.now() - 86_400_000;
  for (let s = 0; s < events / size; s++) {
    const session = {
      siteKey: 'bench',
      sessionId: randomUUID(),
      anonymousId: randomUUID(),
      startTs,
    };
    const rows = Array.from({ length: size }, (_, n) => {
      const checked = validateEvent(oneSessionEvent(session, n));
      if (!checked.ok) throw new Error(`bench event ${n}: ${checked.code} (${checked.field})`);
      return eventRowOf(checked.event, Date.now(), null);
    });
    await store.insertEvents(rows);
  }
}

/**
 * Stores `totalEvents` events in sessions of `size` (after a warm-up derivation), then derives them
 * all and prints the cost.
 */
async function deriveOnce(label: string, databaseUrl: string | undefined, size: number) {
  if (databaseUrl !== undefined) await resetPostgres(databaseUrl);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-derive-'));
  const store = await openStore({ databaseUrl, dataDir });
  try {
    // Not counted: starting the deriving thread, loading its modules and JIT compilation.
    await storeSessions(store, warmupEvents, size);
    await deriveDirtySessions(store, { hoursOf: () => undefined });
    await storeSessions(store, totalEvents, size);
    const pg0 = databaseUrl === undefined ? undefined : postgresCpu();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const sessions = await deriveDirtySessions(store, { hoursOf: () => undefined });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const nodeMs = (cpu.user + cpu.system) / 1000;
    const pgMs = pg0 === undefined ? 0 : postgresCpuSince(pg0);
    const per1000 = (ms: number) => ((ms * 1000) / totalEvents).toFixed(0);
    console.log(
      `  ${label}, ${sessions} sessions of ${size}: ${seconds(wall)}, CPU Node ${seconds(nodeMs)}` +
        (databaseUrl === undefined
          ? ''
          : `, PostgreSQL ${pgMs === undefined ? 'n/a' : seconds(pgMs)}`) +
        ` (${per1000(nodeMs + (pgMs ?? 0))} ms per 1 000 events${pgMs === undefined ? ', Node only' : ''})`,
    );
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints the derivation's cost on SQLite and, when reachable, PostgreSQL. */
export async function runDeriveBench(): Promise<void> {
  console.log(
    `derive: ${totalEvents} stored events folded into the dashboard's conversations and facts (after ${warmupEvents} warm-up events), Node ${process.version}`,
  );
  const stores: [string, string | undefined][] = [['SQLite', undefined]];
  try {
    await resetPostgres(pgUrl);
    stores.push(['PostgreSQL', pgUrl]);
  } catch (error) {
    console.log(`  PostgreSQL skipped: ${(error as Error).message}; run scripts/postgres.sh`);
  }
  for (const [label, url] of stores)
    for (const size of sessionSizes) await deriveOnce(label, url, size);
}
