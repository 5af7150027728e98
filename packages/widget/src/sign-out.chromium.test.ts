// A signed-in visitor on a shared device, in a real Chromium (Debian's package, never a downloaded
// browser) against the BUILT widget (run `pnpm --filter @lotse/widget build` first): the panel shows
// the user's conversations only while the server accepts their sign-in, and forgets them at
// sign-out. A loopback server plays the Lotse server: it serves `dist/` and answers the API.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.LOTSE_CHROMIUM ?? '/usr/bin/chromium';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
// CI installs Chromium before the tests (so a missing one fails there); elsewhere the suite skips.
const run = (existsSync(CHROMIUM) && existsSync(join(dist, 'lotse.js'))) || !!process.env.CI;
if (!run) {
  console.warn(
    `[widget] Skipping the sign-out tests: no browser at ${CHROMIUM} or no build (pnpm --filter @lotse/widget build).`,
  );
}

const token = (n: number) => `tok${String(n).padStart(40, '0')}`;
/** Each user's conversations as the server lists them; every one has one reply from the team. */
const users: Record<string, { signature: string; tickets: number[] }> = {
  'u-1': { signature: 'sig-1', tickets: [1, 2, 3] },
  'u-2': { signature: 'sig-2', tickets: [9] },
  // Signed in, but the list of their conversations fails (503): the server still knows them.
  'u-3': { signature: 'sig-3', tickets: [] },
};
const conversation = (n: number) => ({
  ticketId: `T-${n}`,
  status: 'open',
  messages: [
    { id: `m-${n}-1`, from: 'visitor', text: 'Wo ist mein Paket?', ts: 1_000 + n },
    { id: `m-${n}-2`, from: 'agent', text: 'Es ist unterwegs.', ts: 2_000 + n },
  ],
});

const PAGE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>shop</title></head><body>
<script>window.Lotse=window.Lotse||function(){(Lotse.q=Lotse.q||[]).push(arguments)};</script>
<script async src="/lotse.js" data-site="demo"></script>
</body></html>`;

const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
};

/** Requests to the API, as `METHOD path user`. */
const requests: string[] = [];
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path.startsWith('/v1/')) {
      requests.push(`${req.method} ${path} ${req.headers['x-lotse-user'] ?? '-'}`);
      const user = users[String(req.headers['x-lotse-user'])];
      if (path === '/v1/sites/demo/conversations') {
        if (!user || req.headers['x-lotse-signature'] !== user.signature) {
          return send(401, '{"error":{"code":"invalid_identity","message":"no"}}');
        }
        if (user === users['u-3'])
          return send(503, '{"error":{"code":"unavailable","message":"no"}}');
        const conversations = user.tickets.map((n) => ({
          ...conversation(n),
          conversationToken: token(n),
          createdAt: 10_000 + n,
        }));
        return send(200, JSON.stringify({ conversations }));
      }
      const match = /^\/v1\/conversations\/tok0*(\d+)$/.exec(path);
      if (match) return send(200, JSON.stringify(conversation(Number(match[1]))));
      if (path === '/v1/handoffs' && req.method === 'POST') {
        const reply = {
          ticketId: 'T-77',
          conversationToken: token(77),
          respondWithinMinutes: 60,
          respondBy: new Date(Date.now() + 3_600_000).toISOString(),
        };
        return send(201, JSON.stringify(reply));
      }
      if (path === '/v1/events') return send(202, '{"accepted":0,"duplicates":0,"rejected":[]}');
      return send(404, '{"error":{"code":"not_found","message":"no"}}');
    }
    if (path === '/') return send(200, PAGE, 'text/html');
    const file = normalize(join(dist, path === '/panel/' ? 'panel/index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      return send(404, '');
    }
    send(200, readFileSync(file, 'utf8'), types[extname(file)] ?? 'text/plain');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

const launcherLabel = (page: Page) =>
  page.evaluate(() => {
    const button = document.querySelector('lotse-widget')?.shadowRoot?.querySelector('button');
    // The accessible name: the label, or the label with the new replies in words.
    return button?.getAttribute('aria-label') ?? button?.querySelector('span')?.textContent;
  });
const panel = (page: Page) => page.frameLocator('iframe[title="Hilfe"]');
const listed = (page: Page) =>
  panel(page)
    .getByRole('button', { name: /^Anfrage T-/ })
    .allTextContents();
const stored = (page: Page) =>
  page.evaluate(() => localStorage.getItem('lotse:demo:conversations') ?? '');
const lotse = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as { Lotse(...x: unknown[]): void }).Lotse(...a), args);
const poll = { timeout: 20_000 };

/** A page on the shop where `u-1` signs in and opens the panel: their 3 requests, 3 new replies. */
async function signedIn(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/`);
  await lotse(page, 'identify', { userId: 'u-1', signature: 'sig-1' });
  await lotse(page, 'open');
  await expect.poll(() => listed(page), poll).toHaveLength(3);
  await expect.poll(() => launcherLabel(page), poll).toBe('Hilfe, 3 neue Antworten');
  return page;
}

describe.runIf(run)('a signed-in visitor on a shared device', { timeout: 90_000 }, () => {
  it("forgets the user's conversations at Lotse('signOut')", async () => {
    const page = await signedIn();
    expect(await stored(page)).toContain(token(1));
    await lotse(page, 'signOut');
    await expect.poll(() => listed(page), poll).toEqual([]);
    await expect.poll(() => stored(page), poll).toBe('');
    await expect.poll(() => launcherLabel(page), poll).toBe('Hilfe');
    await page.context().close();
  });

  it('shows nobody the conversations after a reload without sign-in, and another user only theirs', async () => {
    const page = await signedIn();
    // The site forgot to sign the visitor out; the next person reloads the page.
    await lotse(page, 'unmount');
    const before = requests.length;
    await page.goto(`${origin}/`);
    await lotse(page, 'open');
    await panel(page).getByText('Guten Tag!').waitFor();
    // The badge check's hidden frame (loaded before the panel) is gone once it has counted.
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              document.querySelector('lotse-widget')?.shadowRoot?.querySelectorAll('iframe').length,
          ),
        poll,
      )
      .toBe(1);
    expect(await listed(page)).toEqual([]);
    expect(await launcherLabel(page)).toBe('Hilfe');
    // Not one of the user's conversations was asked for, by the badge check or the panel.
    expect(requests.slice(before).filter((r) => r.includes('/v1/conversations/'))).toEqual([]);

    // The next person signs in: their conversation only, and the user's are gone from the device.
    await lotse(page, 'identify', { userId: 'u-2', signature: 'sig-2' });
    await expect.poll(() => listed(page), poll).toEqual(['Anfrage T-9 – 1 neue Antwort']);
    expect(await stored(page)).not.toContain(token(1));
    await page.context().close();
  });

  it('forgets at sign-out a request sent while signed in, though the list of conversations failed', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    await lotse(page, 'identify', { userId: 'u-3', signature: 'sig-3' });
    await lotse(page, 'open');
    const frame = panel(page);
    await frame.getByRole('button', { name: 'Mit einem Menschen sprechen' }).click();
    await frame.getByRole('textbox', { name: 'E-Mail' }).fill('kunde@example.com');
    await frame.getByRole('textbox', { name: 'Nachricht' }).fill('Mein Paket ist nicht da.');
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: 'Senden', exact: true }).click();
    await frame.getByText('(Ticket T-77)').waitFor(poll);
    // The server filed it under u-3 (the handoff went out with their signature), list or not.
    expect(requests).toContain('POST /v1/handoffs u-3');
    expect(requests).toContain('GET /v1/sites/demo/conversations u-3');
    expect(await stored(page)).toContain(token(77));
    await lotse(page, 'signOut');
    await expect.poll(() => stored(page), poll).toBe('');
    // The next person at the device reloads: nothing of u-3's to read or answer.
    await lotse(page, 'unmount');
    await page.goto(`${origin}/`);
    await lotse(page, 'open');
    await frame.getByText('Guten Tag!').waitFor();
    expect(await listed(page)).toEqual([]);
    await page.context().close();
  });

  it('a refused userId asks the server nothing and is named in the console', async () => {
    const page = await (await browser.newContext()).newPage();
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(`${origin}/`);
    await lotse(page, 'open');
    await panel(page).getByText('Guten Tag!').waitFor();
    const before = requests.length;
    await lotse(page, 'identify', { userId: 'kunde@beispiel.de', signature: 'x' });
    await expect.poll(() => warnings.join('\n'), poll).toContain('identify: userId');
    // A valid sign-in after it: its request comes, and none before it for the refused id.
    await lotse(page, 'identify', { userId: 'u-2', signature: 'sig-2' });
    await expect.poll(() => listed(page), poll).toHaveLength(1);
    expect(requests.slice(before).filter((r) => r.includes('/conversations '))).toEqual([
      'GET /v1/sites/demo/conversations u-2',
    ]);
    expect(warnings.join('\n')).not.toContain('beispiel');
    await page.context().close();
  });
});
