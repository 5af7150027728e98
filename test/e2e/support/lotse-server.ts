// Starts Lotse for a browser suite: the real server (packages/server/dist/main.js) with its own port and
// data directory; it serves the API, the widget's files (/lotse.js, /widget/, /panel/) and /demo/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  props: Record<string, unknown>;
}

/** A handoff as the server stored it. */
export interface StoredHandoff {
  ticketId: string;
  level: number;
  topic: string | null;
  message: string;
  email: string;
}

/** A running Lotse for one suite. */
export interface LotseUnderTest {
  /** Origin the browser talks to, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  events(): StoredEvent[];
  handoffs(): StoredHandoff[];
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

async function waitForHealth(
  origin: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 300; i++) {
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

/** Starts the real Lotse server in a temporary data directory. */
export async function startLotse(): Promise<LotseUnderTest> {
  if (!existsSync(serverMain)) {
    throw new Error(`Build the server first (pnpm build): ${serverMain} is missing.`);
  }
  if (!existsSync(path.join(widgetDist, 'lotse.js'))) {
    throw new Error('Build the widget first (pnpm --filter @lotse/widget build).');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-e2e-'));
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      LOTSE_DATA_DIR: dataDir,
      LOTSE_ADMIN_EMAIL: 'admin@example.com',
      LOTSE_ADMIN_PASSWORD: 'e2e-password-not-secret',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHealth(origin, child, () => output);

  const db = () =>
    new Database(path.join(dataDir, 'lotse.db'), { readonly: true, fileMustExist: true });
  return {
    origin,
    events: () => {
      const conn = db();
      try {
        const rows = conn
          .prepare("select type, props from events where site_key = 'demo' order by ts")
          .all() as { type: string; props: string }[];
        return rows.map((row) => ({ type: row.type, props: JSON.parse(row.props) }));
      } finally {
        conn.close();
      }
    },
    handoffs: () => {
      const conn = db();
      try {
        const rows = conn
          .prepare(
            "select ticket_id, level, topic, message, email from handoffs where site_key = 'demo' order by created_at",
          )
          .all() as {
          ticket_id: string;
          level: number;
          topic: string | null;
          message: string;
          email: string;
        }[];
        return rows.map((row) => ({
          ticketId: row.ticket_id,
          level: row.level,
          topic: row.topic,
          message: row.message,
          email: row.email,
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
