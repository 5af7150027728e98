// One server of bench/ingest.ts in a process of its own: Lotse (startServer) or the raw ceiling
// (bench/raw-ceiling.ts), on SQLite in a new folder or on an emptied PostgreSQL database. Talks to
// the bench over IPC: sends `{ url }` once listening; on `settle` derives what is dirty (Lotse) and
// answers; on `measure` starts recording this process's event-loop delay; on `stop` answers with
// it, closes the server and exits.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { deriveDirtySessions } from '../src/dashboard/pre-aggregate.js';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { eventLoopDelayOf } from './one-session.js';
import { startRawCeiling } from './raw-ceiling.js';

/** Input of the server process (argv[2], JSON). */
export interface IngestServerArgs {
  server: 'lotse' | 'raw';
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  siteKey: string;
}

/** Messages of the server process to the bench. */
export type IngestServerMessage =
  | { url: string }
  | { settled: true }
  | {
      eventLoop: { p50: number; p99: number; max: number };
      /** Share of the measured time the event loop was busy. */
      utilization: number;
      /** CPU milliseconds of this process, its threads included, while measured. */
      cpuMs: number;
    };

// The limits stay on so their cost is measured, set high enough not to throttle the one load
// generator (as in bench/server.ts).
const rateLimit = {
  client: { capacity: 100_000, refillPerSecond: 100_000 },
  site: { capacity: 10_000, refillPerSecond: 5_000 },
};

async function startLotse(a: IngestServerArgs) {
  if (a.databaseUrl !== undefined) await resetPostgres(a.databaseUrl);
  const siteFile = path.join(a.dataDir, 'site.json');
  writeFileSync(
    siteFile,
    JSON.stringify({
      key: a.siteKey,
      title: 'Bench',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
    }),
  );
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: a.dataDir,
    ...(a.databaseUrl === undefined ? {} : { databaseUrl: a.databaseUrl }),
    sqliteSynchronous: 'full',
    siteFiles: [siteFile],
    rateLimit,
    logger: silentLogger,
    admin: { password: 'bench-password' },
  });
  return {
    url: server.url,
    // The bench's site has no business hours (the background derivation's lookup gives none).
    settle: () => deriveDirtySessions(server.store, { hoursOf: () => undefined }),
    close: () => server.close(),
  };
}

async function startRaw(a: IngestServerArgs) {
  const raw = await startRawCeiling(
    a.databaseUrl === undefined ? { dataDir: a.dataDir } : { databaseUrl: a.databaseUrl },
  );
  const { port } = raw.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, settle: async () => {}, close: () => raw.close() };
}

const args = JSON.parse(process.argv[2] ?? '{}') as IngestServerArgs;
const send = (m: IngestServerMessage) => process.send?.(m);
const running = args.server === 'lotse' ? await startLotse(args) : await startRaw(args);
const loop = monitorEventLoopDelay({ resolution: 10 });
let elu = performance.eventLoopUtilization();
let cpu = process.cpuUsage();
process.on('message', async (m: 'settle' | 'measure' | 'stop') => {
  if (m === 'settle') {
    await running.settle();
    send({ settled: true });
    return;
  }
  if (m === 'measure') {
    loop.enable();
    elu = performance.eventLoopUtilization();
    cpu = process.cpuUsage();
    return;
  }
  loop.disable();
  const used = process.cpuUsage(cpu);
  send({
    cpuMs: (used.user + used.system) / 1000,
    eventLoop: eventLoopDelayOf(loop),
    utilization: performance.eventLoopUtilization(elu).utilization,
  });
  await running.close();
  process.disconnect();
});
send({ url: running.url });
