// Dashboard metrics over 1 million stored events of one site and one month (part of
// `pnpm bench:server`; alone: `tsx packages/server/bench/metrics.ts`). Prints the time of GET
// /dashboard/api/metrics on SQLite and — when reachable — PostgreSQL: the first (cold) request, split
// into reading the events and computing the figures with @lotse/sdk/metrics, and a repeated (cached)
// request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { computeDashboard } from '../src/dashboard/compute-dashboard.js';
import { generateTraffic } from '../src/dashboard/generate-traffic.js';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import { logIn } from '../src/test-support/login.js';

const target = Number(process.env.BENCH_METRICS_EVENTS ?? 1_000_000);
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';
const from = Date.parse('2025-11-01T00:00:00Z');
const to = Date.parse('2025-12-01T00:00:00Z');
const hoursSetting = ['09:00-17:00'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(label: string, databaseUrl: string | undefined): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-metrics-'));
  const siteFile = path.join(dataDir, 'site.json');
  writeFileSync(
    siteFile,
    JSON.stringify({
      key: 'bench',
      title: 'Bench',
      allowedOrigins: [],
      responseMinutes: { '1': 480, '2': 240, '3': 960 },
      timeZone: 'Europe/Berlin',
      businessHours: {
        mon: hoursSetting,
        tue: hoursSetting,
        wed: hoursSetting,
        thu: hoursSetting,
        fri: hoursSetting,
      },
    }),
  );
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    siteFiles: [siteFile],
    logger: silentLogger,
    rateLimit: { client: false, site: false },
    secret: 'bench-secret-bench-secret-bench-secret',
    admin: { password: 'bench-password' },
    sqliteSynchronous: 'normal',
  });
  try {
    // About 5.9 events per generated conversation.
    const perDay = Math.max(5, Math.round(target / 5.9 / 30 / 5) * 5);
    const rows = generateTraffic({ siteKey: 'bench', start: from, days: 30, perDay });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 5000) {
      await server.store.insertEvents(rows.slice(i, i + 5000));
    }
    console.log(
      `  ${label}: ${rows.length} events stored in ${seconds(performance.now() - t0)} (${perDay} conversations/day, 30 days)`,
    );
    const agent = await logIn(server.url, 'admin@example.com', 'bench-password');
    const url = `/dashboard/api/metrics?site=bench&from=${from}&to=${to}`;
    const a = performance.now();
    const cold = await agent.get(url);
    const b = performance.now();
    const warm = await agent.get(url);
    const c = performance.now();
    if (cold.status !== 200 || warm.status !== 200) throw new Error(`metrics: ${cold.status}`);
    // The cold request's two halves, measured on their own.
    const r0 = performance.now();
    const events = await server.store.listMetricEvents('bench', from, to + 30 * 86_400_000);
    const r1 = performance.now();
    const site = (await server.sites.get('bench'))!;
    computeDashboard(events, { from, to, now: Date.now(), hours: site.hours });
    const r2 = performance.now();
    console.log(
      `  ${label}: GET /dashboard/api/metrics cold ${seconds(b - a)} (read ${seconds(r1 - r0)} + compute ${seconds(r2 - r1)}), ` +
        `cached ${seconds(c - b)}; ${cold.json.conversations} conversations`,
    );
    return b - a;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function resetPostgres(): Promise<string | undefined> {
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql.unsafe(
      'drop table if exists messages, handoffs, events, sites, agents, meta, rate_buckets, agent_sessions, invitations, schema_migrations cascade',
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Runs the metrics bench on SQLite and PostgreSQL; returns whether the 1 s target held (cold). */
export async function runMetricsBench(): Promise<boolean> {
  console.log(
    `dashboard metrics over ${target} stored events (one site, one month; per request: read, deriveConversations and every metric of @lotse/sdk/metrics; repeated requests answer from a cache keyed by the data version)`,
  );
  const times = [await measure('SQLite', undefined)];
  const problem = await resetPostgres();
  if (problem === undefined) times.push(await measure('PostgreSQL', pgUrl));
  else console.log(`  PostgreSQL skipped: ${problem}`);
  const ok = times.every((t) => t <= 1000);
  console.log(`acceptance (metrics over 1 million events ≤ 1 s, cold): ${ok ? 'met' : 'NOT met'}`);
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runMetricsBench();
