// `pnpm bench:widget`: min + gzip sizes of loader, controller and panel; the main-thread time the loader
// costs a host page before any interaction; and click-to-usable time (median of runs). Needs a build
// (`pnpm build`) and Debian's Chromium (or LOTSE_CHROMIUM). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { measure } from './sizes.js';

const runs = Number(process.env.LOTSE_BENCH_RUNS ?? 7);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<{ origin: string; stop: () => void }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-'));
  const child = spawn(process.execPath, [path.join(repo, 'packages/server/dist/main.js')], {
    env: { ...process.env, PORT: String(port), LOTSE_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stopServer = () => {
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  if ((await fetch(`${origin}/lotse.js`)).ok) return { origin, stop: stopServer };
  // The server does not serve the widget's build yet: a front serves it and passes the rest on.
  const front = await startFront(port);
  return {
    origin: front.origin,
    stop: () => {
      front.close();
      stopServer();
    },
  };
}

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
};

function startFront(target: number): Promise<{ origin: string; close: () => void }> {
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    let file = url.pathname === '/lotse.js' ? path.join(dist, 'lotse.js') : undefined;
    if (/^\/(widget|panel)\//.test(url.pathname) && !url.pathname.includes('..')) {
      file = path.join(
        dist,
        url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname,
      );
    }
    if (file && existsSync(file)) {
      const headers: Record<string, string> = {
        'Content-Type': contentTypes[path.extname(file)] ?? 'text/plain',
      };
      if (url.pathname.startsWith('/widget/')) headers['Access-Control-Allow-Origin'] = '*';
      res.writeHead(200, headers).end(readFileSync(file));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => server.close() });
    }),
  );
}

const hostPage = (origin: string, withWidget: boolean) => `<!doctype html><html lang="de"><head>
<meta charset="utf-8"><title>Bench</title></head><body><main><h1>Shop</h1><p>Text.</p></main>
${withWidget ? `<script async src="${origin}/lotse.js" data-site="demo"></script>` : ''}</body></html>`;

async function openHost(
  browser: Browser,
  origin: string,
  withWidget: boolean,
): Promise<{ page: Page; cdp: CDPSession }> {
  // Routed host pages count as public addresses; the widget is on loopback (Local Network Access).
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    permissions: ['local-network-access'],
  });
  const page = await context.newPage();
  const url = `${origin.replace('127.0.0.1', 'localhost')}/bench/host.html`;
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPage(origin, withWidget) }),
  );
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  // Chromium's metrics count from Performance.enable, so enable them before the page loads.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  return { page, cdp };
}

/** Main-thread work (script, layout, style) of a page until idle, from Chromium's metrics, in ms. */
async function mainThreadMs(
  page: Page,
  cdp: CDPSession,
  withWidget: boolean,
): Promise<{ ms: number; longTasks: number[] }> {
  if (withWidget) await page.locator('lotse-widget').waitFor({ state: 'attached' });
  await page.waitForLoadState('networkidle');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const ms =
    (value('ScriptDuration') + value('LayoutDuration') + value('RecalcStyleDuration')) * 1000;
  const longTasks = await page.evaluate(
    () => (window as unknown as { longTasks: number[] }).longTasks,
  );
  return { ms, longTasks };
}

async function main(): Promise<void> {
  const sizes = measure();
  console.log('Sizes (min + gzip level 9; the model is not counted):');
  console.log(`  loader          ${kb(sizes.loader)}  (budget 5 KB)`);
  console.log(`  controller      ${kb(sizes.controller)}  (budget 10 KB)`);
  console.log(
    `  panel, first    ${kb(sizes.panel)}  (page, stylesheet, scripts: what answering needs)`,
  );
  for (const [file, bytes] of sizes.lazy) {
    console.log(
      `  panel, lazy     ${kb(bytes)}  (${file}: handoff form + zod/mini, conversation view)`,
    );
  }
  console.log(`  unread page     ${kb(sizes.unread)}  (hidden page counting new replies)`);
  console.log(
    `  panel, total    ${kb(sizes.total)}  (budget 40 KB: all of the above but the loader and controller)`,
  );
  console.log(
    `  all panel files ${kb(sizes.panelAll)}  (+ the SDK's validate: true stand-in, never loaded)`,
  );

  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.LOTSE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  try {
    const cost = { with: [] as number[], without: [] as number[], longest: 0 };
    for (let i = 0; i < runs; i++) {
      for (const withWidget of [false, true]) {
        const { page, cdp } = await openHost(browser, server.origin, withWidget);
        const { ms, longTasks } = await mainThreadMs(page, cdp, withWidget);
        (withWidget ? cost.with : cost.without).push(ms);
        if (withWidget) cost.longest = Math.max(cost.longest, ...longTasks, 0);
        await page.context().close();
      }
    }
    console.log(
      `Loader main-thread cost before interaction (script + style + layout, median of ${runs}):`,
    );
    console.log(
      `  ${(median(cost.with) - median(cost.without)).toFixed(1)} ms  (page with widget ${median(cost.with).toFixed(1)} ms, without ${median(cost.without).toFixed(1)} ms)`,
    );
    console.log(
      `  longest long task on pages with the widget: ${cost.longest ? `${cost.longest.toFixed(0)} ms` : 'none (> 50 ms)'}`,
    );

    const usable: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { page } = await openHost(browser, server.origin, true);
      const button = page.getByRole('button', { name: 'Hilfe', exact: true });
      await button.waitFor();
      await page.waitForLoadState('networkidle');
      const start = performance.now();
      await button.click();
      const frame = page.frameLocator('iframe[title="Hilfe"]');
      await frame.locator('.panel[data-state="ready"]').waitFor();
      usable.push(performance.now() - start);
      await page.context().close();
    }
    console.log(
      `Click to usable (cold: controller, panel and model loaded on click; median of ${runs}):`,
    );
    console.log(
      `  ${median(usable).toFixed(0)} ms  (min ${Math.min(...usable).toFixed(0)}, max ${Math.max(...usable).toFixed(0)})`,
    );
    console.log('Settings: loopback, no CPU or network throttling, headless Chromium.');
  } finally {
    await browser.close();
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
