// The dashboard's team view over the generated month of 1 million events (part of
// `pnpm bench:server`; alone: `BENCH_ONLY=team pnpm bench:server` or `tsx packages/server/bench/team.ts`).
// On SQLite and — when reachable — PostgreSQL it stores the month of bench/metrics.ts, lets the
// background pre-aggregation derive it, adds the inbox's side of every handed-off conversation
// (a handoff assigned to one of 20 agents, its messages, a note, ticked playbook steps, a review for
// one in ten), then times GET /dashboard/api/team cold (nothing is cached: every request reads and
// computes the period and the one before) and prints the median of 5.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../src/agents/password.js';
import { generateTraffic } from '../src/dashboard/generate-traffic.js';
import { computeTeamFigures } from '../src/dashboard/team-figures.js';
import type { TeamImport } from '../src/dashboard/team-queries.js';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import type { EventRow } from '../src/store/store.js';
import { logIn } from '../src/test-support/login.js';
import { resetPostgres } from '../src/test-support/reset-postgres.js';
import { seconds } from './format.js';
import { settlePostgres } from './settle.js';

const target = Number(process.env.BENCH_METRICS_EVENTS ?? 1_000_000);
const pgUrl =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_bench';
const from = Date.parse('2025-11-01T00:00:00Z');
const to = Date.parse('2025-12-01T00:00:00Z');
const hoursSetting = ['09:00-17:00'];
const AGENTS = 20;
const MIN = 60_000;

/** The inbox's rows for every handoff of the generated events (as the inbox would have written them). */
function inboxRows(rows: readonly EventRow[], agentIds: readonly string[]): TeamImport {
  const out: Required<TeamImport> = {
    handoffs: [],
    messages: [],
    notes: [],
    ticks: [],
    scorecards: [
      {
        id: 'bench-card',
        site_key: 'bench',
        name: 'Bench',
        topic: null,
        criteria: JSON.stringify([
          { id: 'c1', label: 'Greeting', scale: '1-5', weight: 1 },
          { id: 'c2', label: 'Solved', scale: 'yes-no', weight: 2 },
        ]),
        created_by: agentIds[0]!,
        created_at: from,
        archived_at: null,
      },
    ],
    reviews: [],
  };
  const byTicket = new Map<string, { replied?: number; closed?: number }>();
  for (const e of rows) {
    const ticket = (e.props as { ticketId?: string }).ticketId;
    if (ticket === undefined) continue;
    const t = byTicket.get(ticket) ?? {};
    if (e.type === 'agent.replied') t.replied = e.ts;
    if (e.type === 'conversation.closed') t.closed = e.ts;
    byTicket.set(ticket, t);
  }
  let n = 0;
  for (const e of rows) {
    if (e.type !== 'handoff.created') continue;
    const p = e.props as { ticketId: string; level: number; topic: string };
    const id = `h-${n}`;
    const agent = agentIds[n % agentIds.length]!;
    const t = byTicket.get(p.ticketId) ?? {};
    out.handoffs.push({
      id,
      site_key: 'bench',
      ticket_id: p.ticketId,
      token_hash: `hash-${n}`,
      token_nonce: `nonce-${n}`,
      request_hash: `req-${n}`,
      email: `visitor${n % 5000}@example.com`,
      email_key: `visitor${n % 5000}@example.com`,
      anonymous_id: e.anonymousId,
      session_id: e.sessionId,
      conversation_id: e.conversationId,
      locale: 'de',
      message: 'Wo ist mein Paket?',
      transcript: [],
      classification: { level: p.level, topic: p.topic },
      level: p.level,
      topic: p.topic,
      status: t.closed === undefined ? 'open' : 'closed',
      created_at: e.ts,
      respond_within_minutes: p.level === 3 ? 960 : 240,
      respond_by: new Date(e.ts + (p.level === 3 ? 16 : 4) * 3_600_000).toISOString(),
      client_hash: null,
      user_id: null,
      assignee: agent,
      first_reply_at: t.replied ?? null,
      closed_at: t.closed ?? null,
    });
    out.messages.push({
      id: `m-${n}-0`,
      handoff_id: id,
      author: 'visitor',
      text: 'Hallo?',
      ts: e.ts + MIN,
    });
    if (t.replied !== undefined) {
      out.messages.push({
        id: `m-${n}-1`,
        handoff_id: id,
        author: 'agent',
        text: 'Gern.',
        ts: t.replied,
      });
      out.messages.push({
        id: `m-${n}-2`,
        handoff_id: id,
        author: 'visitor',
        text: 'Danke',
        ts: t.replied + 4 * MIN,
      });
      out.messages.push({
        id: `m-${n}-3`,
        handoff_id: id,
        author: 'agent',
        text: 'Bitte.',
        ts: t.replied + 7 * MIN,
      });
      out.notes.push({
        id: `n-${n}`,
        handoff_id: id,
        agent_id: agent,
        text: 'intern',
        ts: t.replied - 2 * MIN,
      });
      out.ticks.push({
        handoff_id: id,
        step: 0,
        step_text: 'Nummer',
        agent_id: agent,
        ts: t.replied - MIN,
      });
      out.ticks.push({
        handoff_id: id,
        step: 1,
        step_text: 'Status',
        agent_id: agent,
        ts: t.replied + 6 * MIN,
      });
    }
    if (n % 10 === 0 && t.closed !== undefined) {
      out.reviews.push({
        id: `r-${n}`,
        handoff_id: id,
        scorecard_id: 'bench-card',
        reviewer_id: agentIds[0]!,
        agent_id: agent,
        scores: JSON.stringify({
          c1: { score: 1 + (n % 5), comment: '' },
          c2: { score: n % 2, comment: '' },
        }),
        score: ((n % 5) / 4 + 2 * (n % 2)) / 3,
        ts: t.closed + 3_600_000,
      });
    }
    n++;
  }
  return out;
}

async function measure(label: string, databaseUrl: string | undefined): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-team-'));
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
      team: { costPerHour: 35, targets: { frtMedian: 240, fcr: 70 } },
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
    const perDay = Math.max(5, Math.round(target / 5.9 / 30 / 5) * 5);
    const rows = generateTraffic({ siteKey: 'bench', start: from, days: 30, perDay });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 5000) {
      await server.store.insertEvents(rows.slice(i, i + 5000));
    }
    const passwordHash = await hashPassword('bench-agent-password');
    const agentIds = Array.from({ length: AGENTS }, (_, i) => `bench-agent-${i}`);
    for (const [i, id] of agentIds.entries()) {
      await server.store.insertAgent({
        id,
        email: `agent${i}@example.com`,
        passwordHash,
        role: 'agent',
        createdAt: from,
      });
    }
    const inbox = inboxRows(rows, agentIds);
    await server.store.importTeamRows(inbox);
    console.log(
      `  ${label}: ${rows.length} events, ${inbox.handoffs?.length} handoffs (${AGENTS} agents), ${inbox.messages?.length} messages, ${inbox.ticks?.length} ticks, ${inbox.reviews?.length} reviews stored in ${seconds(performance.now() - t0)}`,
    );
    const d0 = performance.now();
    while ((await server.store.countDirtySessions('bench')) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(
      `  ${label}: background pre-aggregation done in ${seconds(performance.now() - d0)}`,
    );
    await settlePostgres(label, databaseUrl);
    const admin = await logIn(server.url, 'admin@example.com', 'bench-password');
    const colds: number[] = [];
    let body: { team?: { current: { figures: { handled: { value: number } } } } } = {};
    for (let k = 0; k < 5; k++) {
      const k0 = performance.now();
      const r = await admin.get(`/dashboard/api/team?site=bench&from=${from}&to=${to + k}`);
      colds.push(performance.now() - k0);
      if (r.status !== 200) throw new Error(`team: ${r.status} ${r.text.slice(0, 200)}`);
      body = r.json;
    }
    const coldMedian = [...colds].sort((x, y) => x - y)[2]!;
    // The two halves of a request, on their own: the reads (period and the one before) and the figures.
    const site = (await server.sites.get('bench'))!;
    const r0 = performance.now();
    const teamRows = await server.store.teamRows('bench', from - (to - from), to, {
      playbookSteps: () => 3,
    });
    const r1 = performance.now();
    computeTeamFigures(teamRows, {
      from,
      to,
      now: Date.now(),
      hours: site.hours,
      team: site.team,
      playbookSteps: () => 3,
    });
    const r2 = performance.now();
    const p0 = performance.now();
    const page = await admin.get(`/dashboard/team?site=bench&from=${from}&to=${to}`);
    const p1 = performance.now();
    const csv = await admin.get(`/dashboard/team/export.csv?site=bench&from=${from}&to=${to}`);
    const p2 = performance.now();
    if (page.status !== 200 || csv.status !== 200)
      throw new Error(`team page ${page.status}, csv ${csv.status}`);
    console.log(
      `  ${label}: reads ${seconds(r1 - r0)} (${teamRows.handoffs.length} handoffs), figures ${seconds(r2 - r1)}; page ${seconds(p1 - p0)}, CSV ${seconds(p2 - p1)}; team handled ${body.team?.current.figures.handled.value}`,
    );
    console.log(
      `  ${label}: team view over ${(rows.length / 1e6).toFixed(2)} M events, cold: ${seconds(coldMedian)} (median of 5 uncached requests: ${colds.map(seconds).join(', ')})`,
    );
    return coldMedian;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the team-view bench on SQLite and PostgreSQL; returns whether the 1 s target held (cold). */
export async function runTeamBench(): Promise<boolean> {
  console.log(
    `dashboard team view over ${target} stored events (one site, one month, ${AGENTS} agents). Method: the month of bench/metrics.ts plus the inbox's rows of every handoff; GET /dashboard/api/team reads the handoffs of the month and the month before with the figures each keeps on its row (active time, ticked steps: store/handoff-figures.ts; a second contact from the conversation its ticket names, dashboard/second-contact.ts), whether each was reopened, their reviews and their ratings, joined in the database through an index each (Kysely; SQLite's reader threads hand each read over as one JSON text), and computes every team figure per agent and for the team`,
  );
  const times = [await measure('SQLite', undefined)];
  const problem = await resetPostgres(pgUrl).then(
    () => undefined,
    (error: unknown) => (error as Error).message,
  );
  if (problem === undefined) times.push(await measure('PostgreSQL', pgUrl));
  else console.log(`  PostgreSQL skipped: ${problem}`);
  const ok = times.every((t) => t <= 1000);
  console.log(
    `acceptance (team view over 1 million events ≤ 1 s cold, median): ${ok ? 'met' : 'NOT met'}`,
  );
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!(await runTeamBench())) process.exitCode = 1;
}
