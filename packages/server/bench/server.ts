// `pnpm bench:server`: ingestion throughput and latency of POST /v1/events (batches of 20) on
// loopback, on SQLite and — when reachable — PostgreSQL. The server runs in this process; the load
// generator (bench/load.ts) in a child process. Then Lotse beside the raw ceiling
// (bench/ingest.ts), PostgreSQL's shared rate buckets with and without tokens taken ahead
// (bench/buckets.ts), the derivation's CPU per event (bench/derive.ts), the dashboard metrics over
// 1 million stored events (bench/metrics.ts), the team view over the same month (bench/team.ts),
// one client writing into one session (bench/one-session.ts) with the process's memory after
// 100 000 events, publishing the demo knowledge base (bench/publish.ts) and the mail listener
// (bench/mail.ts). `BENCH_ONLY=` `one-session`, `ingest`, `buckets`, `derive`, `team`, `publish`
// or `mail` runs only that part.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deriveDirtySessions } from '../src/dashboard/pre-aggregate.js';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { runIngestBench } from './ingest.js';
import { runOneSessionLoad } from './one-session.js';
import { runPublishBench } from './publish.js';

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

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const memory = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}`;
};

/**
 * Issue 12's load: 15 requests/s of 100 events into one session for 40 s (within the default rate
 * limits), then 40 000 more events into the same session to reach 100 000, with the memory after.
 * Returns whether /healthz p99 and event-loop p99 stayed ≤ 50 ms.
 */
async function benchOneSession(label: string, databaseUrl: string | undefined) {
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
    siteFiles: [siteFile],
    logger: silentLogger,
    admin: { password: 'bench-password' },
  });
  try {
    const before = memory();
    const r = await runOneSessionLoad({ url: server.url, siteKey: 'bench' });
    const d0 = performance.now();
    await deriveDirtySessions(server.store, { hoursOf: () => undefined });
    const catchUp = performance.now() - d0;
    const stored = await server.store.countEvents('bench');
    console.log(
      `  ${label.padEnd(11)} ${r.requests} requests (${JSON.stringify(r.statuses)}), ${r.accepted} accepted, ${stored} stored; ` +
        `/healthz p50 ${r.healthz.p50.toFixed(1)} ms, p99 ${r.healthz.p99.toFixed(1)} ms, max ${r.healthz.max.toFixed(1)} ms ` +
        `(${r.healthz.count} probes, ${r.healthz.failed} failed); POST p99 ${r.post.p99.toFixed(1)} ms; ` +
        `event loop p99 ${r.eventLoop.p99.toFixed(1)} ms, max ${r.eventLoop.max.toFixed(1)} ms, busy ${(r.utilization * 100).toFixed(0)} %; ` +
        `an idle process meanwhile: p99 ${r.idleProcess.p99.toFixed(1)} ms, max ${r.idleProcess.max.toFixed(1)} ms; ` +
        `derivation caught up ${catchUp.toFixed(0)} ms after the load`,
    );
    const atLoad = memory();
    const more = await runOneSessionLoad({
      url: server.url,
      siteKey: 'bench',
      sessionId: r.sessionId,
      anonymousId: r.anonymousId,
      startTs: r.startTs,
      firstEvent: r.events,
      rate: 20,
      durationMs: ((100_000 - r.events) / 100 / 20) * 1000,
    });
    await deriveDirtySessions(server.store, { hoursOf: () => undefined });
    const total = await server.store.countEvents('bench');
    console.log(
      `  ${label.padEnd(11)} memory: before ${before}; after ${stored} events ${atLoad}; ` +
        `after ${total} events in the session (derived) ${memory()} (second run: /healthz p99 ${more.healthz.p99.toFixed(1)} ms, event loop p99 ${more.eventLoop.p99.toFixed(1)} ms)`,
    );
    return r.healthz.p99 <= 50 && r.eventLoop.p99 <= 50 && r.healthz.failed === 0;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runOneSessionBench(): Promise<boolean> {
  console.log(
    'one session: 15 requests/s × 100 events into one session id for 40 s (default rate limits), /healthz probed every 50 ms from a process of its own; then 20 requests/s up to 100 000 events in that session',
  );
  const results = [await benchOneSession('SQLite', undefined)];
  const problem = await preparePostgres();
  if (problem === undefined) results.push(await benchOneSession('PostgreSQL', pgUrl));
  else console.log(`  PostgreSQL skipped: ${problem}`);
  const ok = results.every(Boolean);
  console.log(
    `acceptance (one session: /healthz p99 ≤ 50 ms, event loop p99 ≤ 50 ms): ${ok ? 'met' : 'NOT met'}`,
  );
  return ok;
}

if (process.env.BENCH_ONLY === 'one-session') {
  if (!(await runOneSessionBench())) process.exitCode = 1;
} else if (process.env.BENCH_ONLY === 'ingest') {
  if (!(await runIngestBench())) process.exitCode = 1;
} else if (process.env.BENCH_ONLY === 'buckets') {
  const { runBucketsBench } = await import('./buckets.js');
  await runBucketsBench();
} else if (process.env.BENCH_ONLY === 'derive') {
  const { runDeriveBench } = await import('./derive.js');
  await runDeriveBench();
} else if (process.env.BENCH_ONLY === 'team') {
  const { runTeamBench } = await import('./team.js');
  if (!(await runTeamBench())) process.exitCode = 1;
} else if (process.env.BENCH_ONLY === 'publish') {
  if (!(await runPublishBench())) process.exitCode = 1;
} else if (process.env.BENCH_ONLY === 'mail') {
  const { runMailBench } = await import('./mail.js');
  if (!(await runMailBench())) process.exitCode = 1;
} else {
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
  if (!(await runIngestBench())) process.exitCode = 1;
  const { runBucketsBench } = await import('./buckets.js');
  await runBucketsBench();
  const { runDeriveBench } = await import('./derive.js');
  await runDeriveBench();

  const { runMetricsBench } = await import('./metrics.js');
  await runMetricsBench();
  const { runTeamBench } = await import('./team.js');
  if (!(await runTeamBench())) process.exitCode = 1;
  if (!(await runOneSessionBench())) process.exitCode = 1;
  if (!(await runPublishBench())) process.exitCode = 1;
  const { runMailBench } = await import('./mail.js');
  if (!(await runMailBench())) process.exitCode = 1;
}
