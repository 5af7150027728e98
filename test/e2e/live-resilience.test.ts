// Live updates that a keyboard and screen-reader user can rely on, German and English: the focused
// link keeps focus when the list or a conversation's facts are swapped in (its row gone: the table
// region, never <body>); a refresh that fails is retried, the page says its data is out of date and
// catches up once the network is back; a dropped stream is said ("interrupted", "reconnected") and
// what came meanwhile shows without reload. Each page is loaded once, checked by a marker.
import { createServer, connect as dial, type Server, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { agentTexts, createHandoff, signedInState, WAIT } from './support/agent.js';
import { newPage } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    created: /^Neue Anfrage .+\.$/,
    changed: /^Anfrage .+ wurde geändert\.$/,
    stale:
      'Die Anzeige ist nicht mehr aktuell: Aktualisieren fehlgeschlagen, neuer Versuch folgt …',
    upToDate: 'Die Anzeige ist wieder aktuell.',
    interrupted: 'Live-Aktualisierung unterbrochen, verbinde neu …',
    reconnected: 'Live-Aktualisierung wieder verbunden.',
    tags: 'Tags',
    saveTags: 'Tags speichern',
    assignToMe: 'Mir zuweisen',
  },
  en: {
    created: /^New conversation .+\.$/,
    changed: /^Conversation .+ was changed\.$/,
    stale: 'What is shown may be out of date: refreshing failed, retrying…',
    upToDate: 'Up to date again.',
    interrupted: 'Live updates interrupted, reconnecting…',
    reconnected: 'Live updates reconnected.',
    tags: 'Tags',
    saveTags: 'Save tags',
    assignToMe: 'Assign to me',
  },
} as const;

/** A signed-in page at `path`, its live script started, announcements recorded, marked. */
async function agentAt(
  locale: 'de' | 'en',
  path: string,
  origin = suite.lotse.origin,
): Promise<Page> {
  const page = await newPage(suite.browser, locale, {
    storageState: await signedInState(suite.browser, suite.lotse.origin),
  });
  // The stream answered (its headers came): changes from here on reach the page.
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/inbox/events', WAIT);
  await page.goto(`${origin}${path}`);
  await stream;
  await page.locator('#live-status').waitFor({ state: 'attached', ...WAIT });
  await page.evaluate(() => {
    const w = window as unknown as { lotseSaid: string[]; lotseMark: number };
    w.lotseMark = 1;
    w.lotseSaid = [];
    const region = document.getElementById('live-status')!;
    new MutationObserver(() => {
      if (region.textContent) w.lotseSaid.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  return page;
}

/**
 * A TCP relay in front of the server, as a proxy or load balancer is: `drop()` cuts every open
 * connection (the live stream among them) and refuses new ones until `restore()`. Cookies ignore
 * the port, so the signed-in session works through it.
 */
async function relay(): Promise<{
  origin: string;
  drop(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const target = new URL(suite.lotse.origin);
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = dial(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    drop() {
      down = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const said = (page: Page) =>
  page.evaluate(() => (window as unknown as { lotseSaid: string[] }).lotseSaid);
const marked = (page: Page) =>
  page.evaluate(() => (window as unknown as { lotseMark?: number }).lotseMark === 1);
/** What has keyboard focus: its tag, href, id, class and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      href: el?.getAttribute('href') ?? null,
      id: el?.id ?? '',
      className: el?.className ?? '',
      text: el?.textContent?.trim() ?? '',
    };
  });
const version = (page: Page) =>
  page.evaluate(() => Number(document.body.getAttribute('data-live-version') ?? 0));

describe.each(['de', 'en'] as const)('live updates that keep focus and recover (%s)', (locale) => {
  const t = texts[locale];
  const a = agentTexts[locale];

  it('keeps focus on the focused link when the list updates, and on the table when its row goes', async () => {
    const kept = await createHandoff(
      suite.lotse.origin,
      `focus-kept-${locale}@example.com`,
      'Mein Paket ist nicht da.',
    );
    const page = await agentAt(locale, '/inbox/');
    const link = page.getByRole('link', { name: kept, exact: true });
    await link.focus();
    const href = await link.getAttribute('href');

    // A new conversation arrives: the table is swapped in, the same link keeps focus.
    const arrived = await createHandoff(
      suite.lotse.origin,
      `focus-new-${locale}@example.com`,
      'Wo bleibt die Lieferung?',
    );
    await page.getByRole('link', { name: arrived, exact: true }).waitFor(WAIT);
    await expect.poll(() => said(page), WAIT).toContainEqual(expect.stringMatching(t.created));
    expect(await focused(page)).toMatchObject({ tag: 'a', href, text: kept });
    // The keyboard goes on from there: to the row above's link or the table's region. Backwards,
    // because the link may be the page's last stop (rows due at the same next opening are in id
    // order) and Tab would leave the page.
    await page.keyboard.press('Shift+Tab');
    const previous = await focused(page);
    expect(
      previous.className === 'table-wrap' ||
        (previous.tag === 'a' && previous.href !== href && previous.href?.startsWith('/inbox/c/')),
    ).toBe(true);
    await link.focus();

    // A colleague closes it: its row leaves the open list, focus goes to the table's region.
    const colleague = await agentAt(locale, href!);
    const before = await version(page);
    await colleague.getByRole('button', { name: a.close, exact: true }).click();
    await colleague.getByRole('button', { name: a.reopen, exact: true }).waitFor(WAIT);
    await expect.poll(() => version(page), WAIT).toBeGreaterThan(before);
    await expect(link.count()).resolves.toBe(0);
    expect(await focused(page)).toMatchObject({ tag: 'div', className: 'table-wrap' });
    await expect(marked(page)).resolves.toBe(true);
    await colleague.context().close();
    await page.context().close();
  });

  it('keeps focus on a tag link in a conversation’s facts when they update, else on their heading', async () => {
    const ticket = await createHandoff(
      suite.lotse.origin,
      `facts-${locale}@example.com`,
      'Der Deckel fehlt.',
    );
    const list = await agentAt(locale, '/inbox/');
    const href = await list.getByRole('link', { name: ticket, exact: true }).getAttribute('href');
    await list.context().close();
    // A tag to focus (a link in the facts).
    const setup = await agentAt(locale, href!);
    await setup.getByRole('textbox', { name: t.tags, exact: true }).fill(`rückruf-${locale}`);
    await Promise.all([
      setup.waitForResponse((r) => r.url().endsWith('/tags') && r.status() === 303, WAIT),
      setup.getByRole('button', { name: t.saveTags }).click(),
    ]);
    await setup.context().close();

    const page = await agentAt(locale, href!);
    const facts = page.locator('section[aria-labelledby="facts-h"] dl');
    const tag = facts.getByRole('link', { name: `rückruf-${locale}`, exact: true });
    await tag.focus();

    // A colleague takes the conversation: the facts are swapped in, the tag link keeps focus.
    const colleague = await agentAt(locale, href!);
    let before = await version(page);
    await Promise.all([
      colleague.waitForResponse((r) => r.url().endsWith('/assign') && r.status() === 303, WAIT),
      colleague.getByRole('button', { name: t.assignToMe, exact: true }).click(),
    ]);
    await expect.poll(() => version(page), WAIT).toBeGreaterThan(before);
    await expect(facts.getByText('admin@example.com')).toBeTruthy();
    expect(await focused(page)).toMatchObject({ tag: 'a', text: `rückruf-${locale}` });

    // The colleague removes the tag: focus goes to the facts' heading.
    before = await version(page);
    await colleague.getByRole('textbox', { name: t.tags, exact: true }).fill('');
    await Promise.all([
      colleague.waitForResponse((r) => r.url().endsWith('/tags') && r.status() === 303, WAIT),
      colleague.getByRole('button', { name: t.saveTags }).click(),
    ]);
    await expect.poll(() => version(page), WAIT).toBeGreaterThan(before);
    expect(await focused(page)).toMatchObject({ tag: 'h2', id: 'facts-h' });
    await expect(marked(page)).resolves.toBe(true);
    await colleague.context().close();
    await page.context().close();
  });

  it('retries a refresh that failed, says the list is out of date, and catches up', async () => {
    const page = await agentAt(locale, '/inbox/');
    // The list's own refreshes fail as on a dropped network; the stream stays up.
    const isRefresh = (url: URL) => url.pathname === '/inbox/';
    await page.route(isRefresh, (route) =>
      route.request().resourceType() === 'fetch'
        ? route.abort('internetdisconnected')
        : route.continue(),
    );
    const ticket = await createHandoff(
      suite.lotse.origin,
      `retry-${locale}@example.com`,
      'Die Rechnung fehlt.',
    );
    const status = page.locator('#live-status');
    await expect.poll(() => status.getAttribute('data-state'), WAIT).toBe('stale');
    await expect.poll(() => status.textContent(), WAIT).toBe(t.stale);
    expect(await status.isVisible()).toBe(true);
    expect(await page.locator('body').getAttribute('data-live-stale')).toBe('true');
    await expect(page.getByRole('link', { name: ticket, exact: true }).count()).resolves.toBe(0);

    // The network is back: the next retry brings the conversation, and the page says so.
    await page.unroute(isRefresh);
    await page.getByRole('link', { name: ticket, exact: true }).waitFor(WAIT);
    await expect.poll(() => said(page), WAIT).toContainEqual(expect.stringMatching(t.created));
    expect(await status.getAttribute('data-state')).toBe('');
    expect(await page.locator('body').getAttribute('data-live-stale')).toBeNull();
    await expect(marked(page)).resolves.toBe(true);
    await page.context().close();
  });

  it('says when the live connection drops and when it is back, and shows what came meanwhile', async () => {
    const proxy = await relay();
    const page = await agentAt(locale, '/inbox/', proxy.origin);
    // The stream is up, then the connection drops.
    proxy.drop();
    const status = page.locator('#live-status');
    await expect.poll(() => status.getAttribute('data-state'), WAIT).toBe('interrupted');
    await expect.poll(() => status.textContent(), WAIT).toBe(t.interrupted);
    expect(await status.isVisible()).toBe(true);

    // A conversation arrives while the agent's browser is offline.
    const ticket = await createHandoff(
      suite.lotse.origin,
      `offline-${locale}@example.com`,
      'Das Paket ist nass.',
    );
    proxy.restore();
    await page.getByRole('link', { name: ticket, exact: true }).waitFor(WAIT);
    await expect.poll(() => said(page), WAIT).toContain(t.reconnected);
    expect(await status.getAttribute('data-state')).toBe('');
    await expect(marked(page)).resolves.toBe(true);
    await page.context().close();
    await proxy.close();
  });
});
