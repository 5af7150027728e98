// Starts Lotse for a browser suite: the real server (packages/server/dist/main.js) with its own port and
// data directory. Until the server serves the widget's files itself, a small front in this process
// serves /lotse.js, /widget/, /panel/ and /demo/ from disk and passes everything else to the server
// (keeping the Host header, so the server sees the front's origin as its own).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
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
  /** `server`: the real server serves everything; `front`: the front serves the widget's files. */
  mode: 'server' | 'front';
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

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** Maps a front URL path to a file of the widget build or the demo site, or `undefined`. */
function staticFile(urlPath: string): string | undefined {
  const clean = path.posix.normalize(decodeURIComponent(urlPath));
  if (clean.includes('..')) return undefined;
  let file: string | undefined;
  if (clean === '/lotse.js') file = path.join(widgetDist, 'lotse.js');
  else if (clean.startsWith('/widget/')) file = path.join(widgetDist, clean);
  else if (clean.startsWith('/panel/')) file = path.join(widgetDist, clean);
  else if (clean.startsWith('/demo/')) file = path.join(repoRoot, 'examples/site', clean.slice(6));
  if (file && existsSync(file) && statSync(file).isDirectory())
    file = path.join(file, 'index.html');
  return file && existsSync(file) ? file : undefined;
}

function startFront(target: number, frameAncestors: () => string): Promise<Server> {
  // Like the server: the panel may be framed by the site's allow-list (localhost and 127.0.0.1).
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    const file = req.method === 'GET' ? staticFile(url.pathname) : undefined;
    if (file) {
      const headers: Record<string, string> = {
        'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      };
      // The loader imports the controller as a module, which browsers fetch with CORS.
      if (url.pathname.startsWith('/widget/')) headers['Access-Control-Allow-Origin'] = '*';
      // The policies the server is asked to send (packages/widget/README.md, "For servers").
      if (url.pathname.startsWith('/panel/')) {
        headers['Content-Security-Policy'] =
          `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors()}`;
      }
      if (url.pathname.startsWith('/demo/')) {
        headers['Content-Security-Policy'] =
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'";
      }
      res.writeHead(200, headers).end(readFileSync(file));
      return;
    }
    const proxied = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Starts the real Lotse server in a temporary data directory (and, while it does not serve the widget
 * yet, the front described above).
 */
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
  const serverOrigin = `http://127.0.0.1:${port}`;
  await waitForHealth(serverOrigin, child, () => output);

  const servesWidget = (await fetch(`${serverOrigin}/lotse.js`)).ok;
  let front: Server | undefined;
  let origin = serverOrigin;
  if (!servesWidget) {
    front = await startFront(port, () => {
      const frontPort = new URL(origin).port;
      return `'self' http://localhost:${frontPort} http://127.0.0.1:${frontPort}`;
    });
    origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }

  const db = () =>
    new Database(path.join(dataDir, 'lotse.db'), { readonly: true, fileMustExist: true });
  return {
    origin,
    mode: servesWidget ? 'server' : 'front',
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
      await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
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
