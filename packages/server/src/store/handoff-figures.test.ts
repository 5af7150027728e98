import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { recordServerEvent } from '../inbox/record-event.js';
import { handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';
import { unmarkReopenedByOthers } from './handoff-figures.js';
import { openStore } from './open-store.js';
import { sqliteKysely } from './sqlite-store.js';
import type { HandoffRow } from './store.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const t0 = Date.parse('2025-11-10T09:00:00Z');

/** Two handoffs of one widget session on different topics: the widget sends no conversation id. */
const sameSession = (sessionId: string) => [
  handoffRow({ sessionId, topic: 'shipping', createdAt: t0, anonymousId: 'anon-s' }),
  handoffRow({ sessionId, topic: 'returns', createdAt: t0 + 5 * MIN, anonymousId: 'anon-s' }),
];

describeOpenStores('which handoffs a reopen reopens', (t) => {
  const reopened = async () => {
    const rows = await t.store.teamRows('demo', t0 - DAY, t0 + DAY, { playbookSteps: () => 0 });
    return rows.handoffs.map((h) => [h.topic, h.reopened]);
  };
  const reopen = (h: HandoffRow, ts: number) =>
    recordServerEvent(
      { store: t.store, now: () => ts },
      h,
      'conversation.reopened',
      { ticketId: h.ticketId, by: 'visitor' },
      ts,
    );

  it("reopens only the handoff named by the reopen's ticket, not the session's other one", async () => {
    const [first, second] = sameSession('s-two');
    await t.store.insertHandoff(first!);
    await t.store.insertHandoff(second!);
    await reopen(second!, t0 + 60 * MIN);
    expect(await reopened()).toEqual(
      expect.arrayContaining([
        ['shipping', false],
        ['returns', true],
      ]),
    );
  });

  it('reads the ticket when the handoffs are imported after their reopen', async () => {
    const [first, second] = sameSession('s-import');
    await reopen(second!, t0 + 60 * MIN);
    const row = (h: HandoffRow) => ({
      id: h.id,
      site_key: h.siteKey,
      ticket_id: h.ticketId,
      token_hash: h.tokenHash,
      token_nonce: h.tokenNonce,
      request_hash: h.requestHash,
      email: h.email,
      email_key: h.email.toLowerCase(),
      anonymous_id: h.anonymousId,
      session_id: h.sessionId,
      conversation_id: h.conversationId,
      locale: h.locale,
      message: h.message,
      transcript: [],
      classification: h.classification,
      level: h.level,
      topic: h.topic,
      status: 'closed',
      created_at: h.createdAt,
      respond_within_minutes: h.respondWithinMinutes,
      respond_by: h.respondBy,
      client_hash: null,
      user_id: null,
    });
    await t.store.importTeamRows({ handoffs: [row(first!), row(second!)] });
    expect(await reopened()).toEqual(
      expect.arrayContaining([
        ['shipping', false],
        ['returns', true],
      ]),
    );
  });

  it("keeps the session's other reopen when a visitor's deletion takes one", async () => {
    const [first, second] = sameSession('s-kept');
    // A third handoff by another browser in the same session (a shared device), also reopened.
    const other = handoffRow({
      sessionId: 's-kept',
      topic: 'billing',
      createdAt: t0 + 10 * MIN,
      anonymousId: 'anon-other',
    });
    for (const h of [first!, second!, other]) await t.store.insertHandoff(h);
    await reopen(second!, t0 + 60 * MIN);
    await t.store.insertEvents([
      {
        id: randomUUID(),
        siteKey: 'demo',
        type: 'conversation.reopened',
        ts: t0 + 61 * MIN,
        receivedAt: t0 + 61 * MIN,
        sessionId: 's-kept',
        anonymousId: 'anon-other',
        conversationId: null,
        userId: null,
        props: { ticketId: other.ticketId, by: 'visitor' },
        clientHash: null,
      },
    ]);
    expect(await reopened()).toEqual(
      expect.arrayContaining([
        ['shipping', false],
        ['returns', true],
        ['billing', true],
      ]),
    );
    // The server recorded the first reopen under the session's anonymous id ('anon-s').
    await t.store.deleteVisitor({ anonymousId: 'anon-s' });
    expect(await reopened()).toEqual([['billing', true]]);
  });

  it('agrees with the derived conversations, which attach the reopen by its ticket', async () => {
    const [first, second] = sameSession('s-derived');
    await t.store.insertHandoff(first!);
    await t.store.insertHandoff(second!);
    // What the widget sends for each handoff (no conversation id), then the server's events.
    let n = 0;
    const event = (type: string, ts: number, props: Record<string, unknown>) => ({
      id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      siteKey: 'demo',
      type,
      ts,
      receivedAt: ts,
      sessionId: 's-derived',
      anonymousId: 'anon-s',
      conversationId: null,
      userId: null,
      props,
      clientHash: null,
    });
    const widget = (h: HandoffRow) => [
      event('query.submitted', h.createdAt - 1000, { text: 'Frage', locale: 'de' }),
      event('triage.decided', h.createdAt - 999, { level: 2, topic: h.topic }),
      event('handoff.created', h.createdAt, { ticketId: h.ticketId, level: 2, topic: h.topic }),
    ];
    await t.store.insertEvents([...widget(first!), ...widget(second!)]);
    for (const h of [first!, second!]) {
      const server = { store: t.store, now: () => h.createdAt };
      await recordServerEvent(
        server,
        h,
        'agent.replied',
        { ticketId: h.ticketId },
        h.createdAt + MIN,
      );
      await recordServerEvent(
        server,
        h,
        'conversation.closed',
        { ticketId: h.ticketId, by: 'agent' },
        h.createdAt + 2 * MIN,
      );
    }
    await reopen(second!, t0 + 60 * MIN);
    await t.store.deriveDirty({ sites: new Map([['demo', undefined]]), maxSessions: 10 });
    const derived = await t.store.listStoredConversations('demo', t0 - DAY, t0 + DAY);
    // In no particular order (the store promises none).
    const rows = derived.map((c) => [c.ticketId, c.closedAt !== null, c.reopened]);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        [first!.ticketId, true, false],
        [second!.ticketId, true, true],
      ]),
    );
    expect(await reopened()).toEqual(
      expect.arrayContaining([
        ['shipping', false],
        ['returns', true],
      ]),
    );
  });

  it('without a ticket, reopens the handoffs of its conversation created before it', async () => {
    const shared = { sessionId: 's-conv', conversationId: 'conv-1' };
    const earlier = handoffRow({ ...shared, topic: 'shipping', createdAt: t0 });
    const later = handoffRow({ ...shared, topic: 'returns', createdAt: t0 + DAY / 2 });
    const elsewhere = handoffRow({ sessionId: 's-conv', topic: 'billing', createdAt: t0 });
    for (const h of [earlier, later, elsewhere]) await t.store.insertHandoff(h);
    await t.store.insertEvents([
      {
        id: randomUUID(),
        siteKey: 'demo',
        type: 'conversation.reopened',
        ts: t0 + HOUR,
        receivedAt: t0 + HOUR,
        sessionId: 's-conv',
        anonymousId: 'anon',
        conversationId: 'conv-1',
        userId: null,
        props: { by: 'visitor' },
        clientHash: null,
      },
    ]);
    expect(await reopened()).toEqual(
      expect.arrayContaining([
        ['shipping', true],
        ['returns', false],
        ['billing', false],
      ]),
    );
  });
});

// Migration 22: marks set by the old rule (every handoff of the reopen's session) are put right
// where the reopens are still stored; a mark whose reopens retention deleted stays.
it('unmarks the handoffs only another handoff’s reopen had marked (migration 22)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-reopened-'));
  const store = await openStore({ dataDir: dir });
  const database = new Database(path.join(dir, 'lotse.db'));
  try {
    const [first, second] = sameSession('s-old');
    const [aged] = sameSession('s-aged');
    for (const h of [first!, second!, aged!]) await store.insertHandoff(h);
    await recordServerEvent(
      { store, now: () => t0 + HOUR },
      second!,
      'conversation.reopened',
      { ticketId: second!.ticketId, by: 'visitor' },
      t0 + HOUR,
    );
    // As the old rule left them: both of the session's handoffs, and one whose events aged out.
    database.prepare('update handoffs set reopened = 1').run();
    await unmarkReopenedByOthers(sqliteKysely(database));
    const marks = Object.fromEntries(
      (
        database.prepare('select id, reopened from handoffs').all() as {
          id: string;
          reopened: number;
        }[]
      ).map((r) => [r.id, r.reopened]),
    );
    expect(marks).toEqual({ [first!.id]: 0, [second!.id]: 1, [aged!.id]: 1 });
  } finally {
    database.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
