// The dashboard's channel filter (issue 16) in a real browser, German and English: widget and mail
// conversations seeded through the server's own store, the channel chosen in the labelled select
// and the form sent by keyboard, the figures read from the tiles and the full table, the chosen
// channel named in the heading, axe-clean with every filter value.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionOf } from '../../packages/server/dist/mail/process-mail.js';
import { openStore } from '../../packages/server/dist/store/open-store.js';
import type { EventRow } from '../../packages/server/dist/store/store.js';
import { figure, signIn, WAIT } from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const DAY = 86_400_000;
const MIN = 60_000;
const H = 60 * MIN;
// Whole UTC days before today: every seeded conversation has ended (mail's 7 days included).
const today = Math.floor(Date.now() / DAY) * DAY;
const from = today - 30 * DAY;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Props = Record<string, unknown>;
const row = (
  session: { sessionId: string; anonymousId: string; conversationId: string },
  type: string,
  ts: number,
  props: Props = {},
): EventRow => ({
  id: randomUUID(),
  siteKey: 'demo',
  type,
  ts,
  receivedAt: ts,
  ...session,
  userId: null,
  props,
  clientHash: null,
});

/**
 * Three widget conversations (a "Yes", a handoff, one abandoned) and three by mail (an automatic
 * reply nobody answered for 20 days, one rated helpful 4 hours later, a complaint handed to a
 * person): 6 in all, 3 each; self-service 3 of 5 in all, 1 of 2 in the widget, 2 of 3 by e-mail.
 */
function traffic(): EventRow[] {
  const w = (n: number) => ({
    sessionId: `e2e-w${n}`,
    anonymousId: `e2e-anon-${n}`,
    conversationId: `e2e-c${n}`,
  });
  const t = from + 5 * DAY;
  const auto = sessionOf(randomUUID(), 'eva@kunde.example');
  const complaint = sessionOf(randomUUID(), 'jan@kunde.example');
  const rated = sessionOf(randomUUID(), 'ute@kunde.example');
  return [
    row(w(1), 'query.submitted', t, { channel: 'widget' }),
    row(w(1), 'answer.rated', t + MIN, { entryId: 'returns-label', helpful: true }),
    row(w(2), 'query.submitted', t + DAY, { channel: 'widget' }),
    row(w(2), 'handoff.created', t + DAY + MIN, { ticketId: 'E2E-2', level: 2, channel: 'widget' }),
    row(w(3), 'query.submitted', t + 2 * DAY, { channel: 'widget' }),
    row(auto, 'query.submitted', t + 3 * DAY, { channel: 'email', locale: 'de' }),
    row(auto, 'answer.shown', t + 3 * DAY + 1, { entryId: 'delivery-time', level: 1 }),
    row(rated, 'query.submitted', t + 3 * DAY + H, { channel: 'email', locale: 'de' }),
    row(rated, 'answer.shown', t + 3 * DAY + H + 1, { entryId: 'returns-label', level: 1 }),
    row(rated, 'answer.rated', t + 3 * DAY + 5 * H, { entryId: 'returns-label', helpful: true }),
    row(complaint, 'query.submitted', t + 4 * DAY, { channel: 'email', locale: 'de' }),
    row(complaint, 'handoff.created', t + 4 * DAY + 1, {
      ticketId: 'E2E-M',
      level: 2,
      topic: 'complaints',
      channel: 'email',
      reason: 'complaint',
    }),
  ];
}

const texts = {
  de: {
    channel: 'Kanal',
    show: 'Anzeigen',
    glance: 'Auf einen Blick',
    options: { '': 'Alle', widget: 'Widget', email: 'E-Mail' },
    selfService: 'Self-Service-Quote',
    percent: (v: string) => `${v.replace('.', ',')} %`,
  },
  en: {
    channel: 'Channel',
    show: 'Show',
    glance: 'At a glance',
    options: { '': 'All', widget: 'Widget', email: 'Email' },
    selfService: 'Self-service rate',
    percent: (v: string) => `${v} %`,
  },
} as const;

const expected = {
  '': { conversations: '6', selfService: '60.0' },
  widget: { conversations: '3', selfService: '50.0' },
  email: { conversations: '3', selfService: '66.7' },
} as const;

/** Chooses a channel in the filter form and sends it with the keyboard. */
async function chooseChannel(page: Page, locale: 'de' | 'en', channel: '' | 'widget' | 'email') {
  const t = texts[locale];
  await page.getByRole('combobox', { name: t.channel, exact: true }).selectOption(channel);
  await page.getByRole('button', { name: t.show, exact: true }).focus();
  await Promise.all([
    page.waitForURL(new RegExp(`channel=${channel}(&|$)`), WAIT),
    page.keyboard.press('Enter'),
  ]);
}

describe('dashboard per channel', () => {
  beforeAll(async () => {
    const store = await openStore({ dataDir: suite.lotse.dataDir });
    try {
      await store.insertEvents(traffic());
    } finally {
      await store.close();
    }
  });

  it.each(['de', 'en'] as const)('filters every figure by channel (%s)', async (locale) => {
    const t = texts[locale];
    const page = await newPage(suite.browser, locale, { bypassCSP: true });
    await signIn(page, suite.lotse.origin, locale);
    await page.goto(
      `${suite.lotse.origin}/dashboard/?site=demo&from=${iso(from)}&to=${iso(today - DAY)}&lang=${locale}`,
    );
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    // The select lists every channel under its name.
    const select = page.getByRole('combobox', { name: t.channel, exact: true });
    expect(await select.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(Object.values(t.options)),
    );
    for (const channel of ['email', 'widget', ''] as const) {
      await chooseChannel(page, locale, channel);
      const heading = page.getByRole('heading', { level: 2, name: t.glance, exact: false });
      await expect
        .poll(() => heading.textContent())
        .toBe(channel === '' ? t.glance : `${t.glance} · ${t.options[channel]}`);
      expect(await select.inputValue()).toBe(channel);
      const tile = (key: string) => page.locator(`li[data-kpi="${key}"] .kpi-value`);
      expect(await tile('conversations').textContent()).toBe(expected[channel].conversations);
      expect(await tile('selfServiceRate').textContent()).toBe(
        t.percent(expected[channel].selfService),
      );
      // The table writes the figure as the tile does, in the page language.
      expect(await figure(page, t.selfService).textContent()).toBe(
        t.percent(expected[channel].selfService),
      );
      expect(await runAxe(page), `channel "${channel}"`).toEqual([]);
    }
    await page.context().close();
  });
});
