// Issue 13's ingestion bench (part of `pnpm bench:server`; alone: `BENCH_ONLY=ingest pnpm
// bench:server`): Lotse beside the raw ceiling (bench/raw-ceiling.ts) on SQLite (WAL,
// synchronous=FULL) and PostgreSQL, for two load shapes — a new session per batch, and one long
// session — each 50 000 events in batches of 20 over 8 keep-alive connections on loopback.
//
// Each server runs alone in a fresh child process (bench/ingest-server.ts) started with the same
// flags: neither inherits the other's heap, threads or open files, no bench code shares its event
// loop, and the event-loop delay it measures there is its own. This process is the load generator
// of both, so the same client code, connections and pre-built bodies hit each. Lotse and raw run
// back to back per cell, which one first alternating, so that machine noise hits both alike;
// `BENCH_INGEST_ROUNDS=n` repeats that n times per cell. `BENCH_CPU_PROF=<dir>` writes a CPU
// profile of every server process (and its threads) there.
//
// Two cores carry the load generator, the server and the database, so events/s follow the CPU each
// event costs, and move ±20 % between identical runs; the CPU per 1 000 events (the server process
// with its threads, and PostgreSQL's from /proc, while measured) moves less, about ±15 %.
// Background work left when a run stops (derivation) is not counted; nor is the warm-up's: before
// measuring, Lotse derives what the warm-up stored, which also starts PostgreSQL's deriving thread
// (a one-off 1.5–1.8 s of CPU that landed in the measured seconds before; bench/derive.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { seconds } from './format.js';
import type { IngestServerArgs, IngestServerMessage } from './ingest-server.js';
import { oneSessionEvent, percentile, requestText } from './one-session-load.js';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';

// The measurement setup of issue 13.
const concurrency = 8;
const batchSize = 20;
const cellEvents = Number(process.env.BENCH_INGEST_EVENTS ?? 50_000);
// Runs of each server per cell; the table shows medians. The machine's noise (other processes, the
// disk's fsync latency) easily moves one run's events/s by a factor of two.
const rounds = Math.max(1, Number(process.env.BENCH_INGEST_ROUNDS ?? 1));
// Not counted: JIT compilation and the first connections, in sessions of their own.
const warmupEvents = 4_000;
const targets = { ratio: 0.7, p99Ms: 100, loopP99Ms: 50 };
const siteKey = 'bench';
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';
const profileDir = process.env.BENCH_CPU_PROF;

type Shape = 'session per batch' | 'one session';
type ServerKind = IngestServerArgs['server'];
interface Store {
  label: string;
  databaseUrl?: string;
}

/** What one server did with one cell's load. */
interface Run {
  eventsPerSecond: number;
  accepted: number;
  requests: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  eventLoop: { p50: number; p99: number; max: number };
  utilization: number;
  /** CPU milliseconds while measured: the server process with its threads, and PostgreSQL's. */
  cpu: { node: number; postgres: number | undefined };
}

/** `events` events as request bodies of 20: each in a new session, or all in one session. */
function batchesOf(shape: Shape, events: number): string[] {
  const visitor = () => ({ sessionId: randomUUID(), anonymousId: randomUUID() });
  const one = { siteKey, startTs: Date.now() - 86_400_000, ...visitor() };
  const bodies: string[] = [];
  for (let first = 0; first < events; first += batchSize) {
    const session = shape === 'one session' ? one : { ...one, ...visitor() };
    const n = shape === 'one session' ? first : 0;
    const batch = Array.from({ length: batchSize }, (_, i) => oneSessionEvent(session, n + i));
    bodies.push(JSON.stringify({ events: batch }));
  }
  return bodies;
}

/** Posts the bodies over `concurrency` connections, each sending its next as soon as answered. */
async function drive(agent: Agent, url: string, bodies: readonly string[]) {
  const target = new URL('/v1/events', url);
  const ms: number[] = [];
  const statuses: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const connection = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const r = await requestText(agent, target, body).catch(() => ({ status: 0, text: '' }));
      ms.push(performance.now() - t0);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 202) accepted += (JSON.parse(r.text) as { accepted: number }).accepted;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, connection));
  const elapsed = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  return {
    eventsPerSecond: accepted / elapsed,
    accepted,
    requests: ms.length,
    statuses,
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
  };
}

/** The next message of the server process. */
function message<M extends IngestServerMessage>(child: ChildProcess): Promise<M> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`server process exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as M);
    });
  });
}

/** One server in a process of its own under one cell's load (after a warm-up). */
async function run(server: ServerKind, store: Store, shape: Shape): Promise<Run> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-ingest-'));
  const args: IngestServerArgs = {
    server,
    dataDir,
    siteKey,
    ...(store.databaseUrl === undefined ? {} : { databaseUrl: store.databaseUrl }),
  };
  const profile =
    profileDir === undefined
      ? []
      : [
          '--cpu-prof',
          `--cpu-prof-dir=${path.join(profileDir, `${store.label}-${shape}-${server}`.replaceAll(' ', '-'))}`,
        ];
  const child = fork(path.join(import.meta.dirname, 'ingest-server.ts'), [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const warmup = batchesOf('session per batch', warmupEvents);
    const bodies = batchesOf(shape, cellEvents);
    const { url } = await message<{ url: string }>(child);
    await drive(agent, url, warmup);
    const settled = message<{ settled: true }>(child);
    child.send('settle');
    await settled;
    const pg0 = store.databaseUrl === undefined ? undefined : postgresCpu();
    child.send('measure');
    const load = await drive(agent, url, bodies);
    const pgMs = pg0 === undefined ? undefined : postgresCpuSince(pg0);
    const stopped = message<Extract<IngestServerMessage, { cpuMs: number }>>(child);
    child.send('stop');
    const { eventLoop, utilization, cpuMs } = await stopped;
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(0),
    );
    return { ...load, eventLoop, utilization, cpu: { node: cpuMs, postgres: pgMs } };
  } finally {
    agent.destroy();
    if (child.exitCode === null) child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
/** A run's CPU (Node and PostgreSQL) per 1 000 events stored. */
const cpuPer1000 = (r: Run) => ((r.cpu.node + (r.cpu.postgres ?? 0)) * 1000) / r.accepted;
/** The median CPU per 1 000 events of runs, marked when PostgreSQL's could not be read. */
const cpuCell = (store: Store, runs: readonly Run[]) =>
  `${Math.round(median(runs.map(cpuPer1000)))} ms` +
  (store.databaseUrl !== undefined && runs.some((r) => r.cpu.postgres === undefined)
    ? ' (Node only)'
    : '');
/** The median of `xs` (the upper one of an even count). */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return percentile(sorted, 0.5);
}

/** Pads the columns of `rows` (the first is the header) to one width each; text left, numbers right. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

/**
 * Runs every cell (store × shape) for Lotse and the raw ceiling and prints one table with the
 * targets of issue 13; returns whether every target held in every cell.
 */
export async function runIngestBench(): Promise<boolean> {
  console.log(
    `ingest: Lotse beside the raw ceiling, POST ${cellEvents} events per cell in batches of ${batchSize} over ${concurrency} keep-alive connections ` +
      `(after ${warmupEvents} warm-up events), ${rounds} round${rounds === 1 ? '' : 's'}, loopback, each server in a process of its own, Node ${process.version}`,
  );
  const stores: Store[] = [{ label: 'SQLite' }];
  try {
    await resetPostgres(pgUrl);
    stores.push({ label: 'PostgreSQL', databaseUrl: pgUrl });
  } catch (error) {
    console.log(`  PostgreSQL skipped: ${(error as Error).message}; run scripts/postgres.sh`);
  }
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const cells: { store: Store; shape: Shape; lotse: Run[]; raw: Run[] }[] = [];
  let lotseFirst = false;
  for (const store of stores) {
    for (const shape of ['session per batch', 'one session'] as const) {
      const cell = { store, shape, lotse: [] as Run[], raw: [] as Run[] };
      for (let round = 0; round < rounds; round++) {
        const order: ServerKind[] = lotseFirst ? ['lotse', 'raw'] : ['raw', 'lotse'];
        lotseFirst = !lotseFirst;
        for (const server of order) {
          const r = await run(server, store, shape);
          cell[server].push(r);
          console.log(
            `  ${store.label}, ${shape}, ${server}: ${Math.round(r.eventsPerSecond)} events/s, ${r.accepted} accepted, ` +
              `statuses ${JSON.stringify(r.statuses)}; p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ` +
              `event loop p99 ${ms(r.eventLoop.p99)}, max ${ms(r.eventLoop.max)}, busy ${(r.utilization * 100).toFixed(0)} %; ` +
              `CPU Node ${seconds(r.cpu.node)}` +
              (store.databaseUrl === undefined
                ? ''
                : `, PostgreSQL ${r.cpu.postgres === undefined ? 'n/a' : seconds(r.cpu.postgres)}`),
          );
        }
      }
      cells.push(cell);
    }
  }
  // With several rounds each figure is the median of the rounds; the ratio pairs the raw and Lotse
  // runs of one round, which ran back to back.
  const summaries = cells.map((c) => ({
    label: `${c.store.label}/${c.shape}`,
    row: [c.store.label, c.shape],
    lotse: median(c.lotse.map((r) => r.eventsPerSecond)),
    raw: median(c.raw.map((r) => r.eventsPerSecond)),
    ratio: median(c.lotse.map((r, i) => r.eventsPerSecond / c.raw[i]!.eventsPerSecond)),
    allStored: c.lotse.every((r) => r.accepted === cellEvents),
    lotseP99: median(c.lotse.map((r) => r.p99)),
    rawP99: median(c.raw.map((r) => r.p99)),
    lotseLoopP99: median(c.lotse.map((r) => r.eventLoop.p99)),
    rawLoopP99: median(c.raw.map((r) => r.eventLoop.p99)),
    lotseCpu: cpuCell(c.store, c.lotse),
    rawCpu: cpuCell(c.store, c.raw),
  }));
  console.log(
    table([
      [
        'store',
        'shape',
        'Lotse events/s',
        'raw events/s',
        'ratio',
        'Lotse p99',
        'raw p99',
        'Lotse loop p99',
        'raw loop p99',
        'Lotse CPU/1000',
        'raw CPU/1000',
      ],
      ...summaries.map((s) => [
        ...s.row,
        String(Math.round(s.lotse)),
        String(Math.round(s.raw)),
        // Rounded down, so that a ratio shown as 70 % has met the target.
        `${Math.floor(s.ratio * 100)} %`,
        ms(s.lotseP99),
        ms(s.rawP99),
        ms(s.lotseLoopP99),
        ms(s.rawLoopP99),
        s.lotseCpu,
        s.rawCpu,
      ]),
    ]),
  );
  type Summary = (typeof summaries)[number];
  const checks = [
    {
      label: `≥ ${targets.ratio * 100} % of the raw ceiling's events/s`,
      met: (s: Summary) => s.ratio >= targets.ratio && s.allStored,
    },
    { label: `ingest p99 ≤ ${targets.p99Ms} ms`, met: (s: Summary) => s.lotseP99 <= targets.p99Ms },
    {
      label: `event-loop p99 ≤ ${targets.loopP99Ms} ms`,
      met: (s: Summary) => s.lotseLoopP99 <= targets.loopP99Ms,
    },
  ];
  let ok = true;
  for (const check of checks) {
    const verdicts = summaries.map((s) => {
      const met = check.met(s);
      ok &&= met;
      return `${s.label} ${met ? 'met' : 'NOT met'}`;
    });
    console.log(`acceptance (${check.label}): ${verdicts.join(', ')}`);
  }
  return ok;
}
