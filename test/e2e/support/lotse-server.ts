// Starts Lotse for a browser suite: the real server (packages/server/dist/main.js) on a port the
// system picks and in its own data directory; it serves the API, the widget's files (/lotse.js,
// /widget/, /panel/) and /demo/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** Repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The widget's build output. */
export const widgetDist = path.join(repoRoot, 'packages/widget/dist');
const serverMain = path.join(repoRoot, 'packages/server/dist/main.js');

/** An event as the server stored it. */
export interface StoredEvent {
  type: string;
  sessionId: string;
  props: Record<string, unknown>;
}

/** A handoff as the server stored it. */
export interface StoredHandoff {
  ticketId: string;
  level: number;
  topic: string | null;
  message: string;
  email: string;
  /** Agent id the conversation is assigned to, or null. */
  assignee: string | null;
  /** Epoch milliseconds of the handoff, the first agent reply and the close (null until then). */
  createdAt: number;
  firstReplyAt: number | null;
  closedAt: number | null;
  /** The chat before the handoff, as the widget sent it. */
  transcript: { from: string; text: string }[];
}

/** A running Lotse for one suite. */
export interface LotseUnderTest {
  /** Origin the browser talks to, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The server's data directory (its SQLite file is `lotse.db` there). */
  dataDir: string;
  events(): StoredEvent[];
  handoffs(): StoredHandoff[];
  stop(): Promise<void>;
}

// The server's log line once it listens: with PORT=0 the system picks a free port, and this line is
// the only place that says which (no probe port that a parallel suite could take in between).
const readyLine = /ready on http:\/\/[^\s:/]+:(\d+)/;

function waitForPort(child: ChildProcess, log: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new Error(`Lotse server did not report its port:\n${log()}`));
      // It builds the demo model before it listens: about 20 s on a loaded 2-core machine, more
      // beside other builds.
    }, 180_000);
    const onData = () => {
      const port = readyLine.exec(log())?.[1];
      if (port === undefined) return;
      done();
      resolve(Number(port));
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`Lotse server exited (${code}):\n${log()}`));
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    // Registered after the caller's own listener, so `log()` already holds the chunk.
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitForHealth(
  origin: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  // Until healthy, or the process exits, or a minute has passed (a loaded machine starts slowly).
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`Lotse server exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Lotse server did not become healthy:\n${log()}`);
}

/** Starts the real Lotse server in a temporary data directory; `env` adds to its environment. */
export async function startLotse(env: Record<string, string> = {}): Promise<LotseUnderTest> {
  if (!existsSync(serverMain)) {
    throw new Error(`Build the server first (pnpm build): ${serverMain} is missing.`);
  }
  if (!existsSync(path.join(widgetDist, 'lotse.js'))) {
    throw new Error('Build the widget first (pnpm --filter @lotse/widget build).');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-e2e-'));
  let output = '';
  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      LOTSE_DATA_DIR: dataDir,
      LOTSE_ADMIN_EMAIL: 'admin@example.com',
      LOTSE_ADMIN_PASSWORD: 'e2e-password-not-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const log = () => output;
  let origin: string;
  try {
    origin = `http://127.0.0.1:${await waitForPort(child, log)}`;
    await waitForHealth(origin, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const db = () =>
    new Database(path.join(dataDir, 'lotse.db'), { readonly: true, fileMustExist: true });
  return {
    origin,
    dataDir,
    events: () => {
      const conn = db();
      try {
        const rows = conn
          .prepare("select type, session_id, props from events where site_key = 'demo' order by ts")
          .all() as { type: string; session_id: string; props: string }[];
        return rows.map((row) => ({
          type: row.type,
          sessionId: row.session_id,
          props: JSON.parse(row.props),
        }));
      } finally {
        conn.close();
      }
    },
    handoffs: () => {
      const conn = db();
      try {
        const rows = conn
          .prepare(
            "select ticket_id, level, topic, message, email, assignee, created_at, first_reply_at, closed_at, transcript from handoffs where site_key = 'demo' order by created_at",
          )
          .all() as {
          ticket_id: string;
          level: number;
          topic: string | null;
          message: string;
          email: string;
          assignee: string | null;
          created_at: number;
          first_reply_at: number | null;
          closed_at: number | null;
          transcript: string;
        }[];
        return rows.map((row) => ({
          ticketId: row.ticket_id,
          level: row.level,
          topic: row.topic,
          message: row.message,
          email: row.email,
          assignee: row.assignee,
          createdAt: row.created_at,
          firstReplyAt: row.first_reply_at,
          closedAt: row.closed_at,
          transcript: JSON.parse(row.transcript) as StoredHandoff['transcript'],
        }));
      } finally {
        conn.close();
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds the demo model with the triage CLI (for suites that need one without the server). */
export function buildDemoModel(out: string): void {
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'packages/triage/dist/cli/main.js'),
      'build',
      'examples/kb-shop',
      '-o',
      out,
    ],
    {
      cwd: repoRoot,
    },
  );
}
