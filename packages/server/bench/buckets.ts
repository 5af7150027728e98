// PostgreSQL's shared rate buckets (part of `pnpm bench:server`; alone: `BENCH_ONLY=buckets pnpm
// bench:server`): 20 000 requests each taking a token from their client's and their site's bucket
// (100 000 tokens and 100 000/s each, so that none is refused; with the default limits only the
// site's bucket is large enough to take ahead), from 8 callers at once, with the tokens a busy
// bucket takes ahead (`coalesceTakes`) and without. Prints wall time and the CPU of Node and PostgreSQL (bench/postgres-cpu.ts) per
// round; SQLite keeps its buckets in process memory and is not measured.

import { createPostgresStore } from '../src/store/postgres-store.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { seconds } from './format.js';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';

const requests = 20_000;
const callers = 8;
const rounds = 3;
const rule = { capacity: 100_000, refillPerSecond: 100_000 };
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';

/** Prints one line per round, with the given lease time. */
async function measure(leaseMs: number): Promise<void> {
  await resetPostgres(pgUrl);
  const store = createPostgresStore({ url: pgUrl, bucketLeaseMs: leaseMs });
  await store.migrate();
  try {
    for (let round = 1; round <= rounds; round++) {
      const pg0 = postgresCpu();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let started = 0;
      let allowed = 0;
      const caller = async () => {
        while (started < requests) {
          started += 1;
          const now = Date.now();
          const a = await store.takeToken(`client:bench-${round}`, rule, now);
          const b = await store.takeToken(`site:bench-${round}`, rule, now);
          if (a.allowed && b.allowed) allowed += 1;
        }
      };
      await Promise.all(Array.from({ length: callers }, caller));
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const pgMs = postgresCpuSince(pg0);
      console.log(
        `  ${leaseMs > 0 ? `leases of ${leaseMs} ms` : 'no leases'}, round ${round}: ${seconds(wall)}, ` +
          `CPU Node ${seconds((cpu.user + cpu.system) / 1000)}, PostgreSQL ${pgMs === undefined ? 'n/a' : seconds(pgMs)}; ` +
          `${allowed} of ${requests} allowed`,
      );
    }
  } finally {
    await store.close();
  }
}

/** Runs both settings on PostgreSQL when it is reachable. */
export async function runBucketsBench(): Promise<void> {
  console.log(
    `buckets: ${requests} requests taking a client and a site token each, ${callers} callers, PostgreSQL, Node ${process.version}`,
  );
  try {
    await resetPostgres(pgUrl);
  } catch (error) {
    console.log(`  PostgreSQL skipped: ${(error as Error).message}; run scripts/postgres.sh`);
    return;
  }
  await measure(100);
  await measure(0);
}
