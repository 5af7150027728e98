// `pnpm bench:server`: ingestion throughput and latency of POST /v1/events (batches of 20) on
// loopback, on SQLite and — when reachable — PostgreSQL. The server runs in this process; the load
// generator (bench/load.ts) in a child process. Then the dashboard metrics over 1 million stored
// events (bench/metrics.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const batchSize = 20;
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';
// Limits stay on so their cost is measured, set high enough not to throttle one load generator.
const rateLimit = {
  client: { capacity: 100_000, refillPerSecond: 100_000 },
  site: { capacity: 10_000, refillPerSecond: 5_000 },
};
const maxBodyBytes = 64 * 1024;

interface LoadResult {
  requests: number;
  seconds: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

function runLoad(url: string): Promise<LoadResult> {
  const args = JSON.stringify({
    url,
    concurrency,
    batchSize,
    warmupMs,
    durationMs,
    siteKey: 'bench',
  });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'load.ts'), args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** Empties the bench database; returns why PostgreSQL cannot be used, or undefined. */
async function preparePostgres(): Promise<string | undefined> {
  try {
    await resetPostgres(pgUrl);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function bench(
  label: string,
  databaseUrl: string | undefined,
  sqliteSynchronous: 'full' | 'normal',
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-'));
  const siteFile = path.join(dataDir, 'site.json');
  writeFileSync(
    siteFile,
    JSON.stringify({
      key: 'bench',
      title: 'Bench',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
    }),
  );
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    sqliteSynchronous,
    siteFiles: [siteFile],
    rateLimit,
    maxBodyBytes,
    logger: silentLogger,
    admin: { password: 'bench-password' },
  });
  try {
    const r = await runLoad(server.url);
    const stored = await server.store.countEvents('bench');
    console.log(
      `${label.padEnd(30)} ${Math.round(r.eventsPerSecond).toString().padStart(7)} events/s  ` +
        `${Math.round(r.requestsPerSecond).toString().padStart(5)} req/s  p50 ${r.p50.toFixed(1)} ms  ` +
        `p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  statuses ${JSON.stringify(r.statuses)}  stored ${stored}`,
    );
    return r;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `lotse collector bench: POST /v1/events, ${batchSize} events a batch, ${concurrency} keep-alive connections, ` +
    `${warmupMs / 1000} s warm-up + ${durationMs / 1000} s measured, loopback, Node ${process.version}`,
);
console.log(
  `limits: body ≤ ${maxBodyBytes} bytes, ≤ 100 events a request, rate per client ${rateLimit.client.refillPerSecond}/s ` +
    `(burst ${rateLimit.client.capacity}), per site ${rateLimit.site.refillPerSecond}/s (burst ${rateLimit.site.capacity}); ` +
    'per-event validation with @lotse/sdk/schema and dedup by id on',
);
const sqlite = await bench('SQLite (WAL, synchronous=FULL)', undefined, 'full');
await bench('SQLite (WAL, synchronous=NORMAL)', undefined, 'normal');
const pgProblem = await preparePostgres();
if (pgProblem === undefined) await bench('PostgreSQL', pgUrl, 'full');
else
  console.log(
    `PostgreSQL skipped: ${pgUrl.replace(/:[^:@/]*@/, ':***@')} unreachable (${pgProblem}); run scripts/postgres.sh`,
  );

const ok = sqlite.eventsPerSecond >= 10_000 && sqlite.p99 <= 50;
console.log(
  `acceptance (SQLite default ≥ 10 000 events/s, p99 ≤ 50 ms): ${ok ? 'met' : 'NOT met'}`,
);
if (!ok) process.exitCode = 1;

const { runMetricsBench } = await import('./metrics.js');
await runMetricsBench();
