import path from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeStores, type StoreTarget } from '../test-support/stores.js';
import { migrationSql, migrations } from './migrations.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

// The last schema version `main` shipped. A database created by it, with its rows written as that
// version's SQL writes them (not through today's queries), must upgrade and read back unchanged.
// Raise it only together with a migration that has shipped.
const SHIPPED_VERSION = 6;

const now = 1_767_000_000_000;
const rows = {
  events: `insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id,
      conversation_id, user_id, props, client_hash)
    values ('0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f01', 'demo', 'query.submitted', ${now}, ${now + 5},
      's-1', 'a-1', 'c-1', null, '{"text":"Wo bleibt mein Paket?","topic":"shipping"}', 'h')`,
  handoffs: `insert into handoffs (id, site_key, ticket_id, token_hash, token_nonce, request_hash,
      email, email_key, anonymous_id, session_id, conversation_id, locale, message, transcript,
      classification, level, topic, status, created_at, respond_within_minutes, respond_by,
      client_hash, assignee, first_reply_at, closed_at, user_id)
    values ('h-1', 'demo', 'T-1', 'tokenhash', 'nonce', 'request', 'Ada@Example.com',
      'ada@example.com', 'a-1', 's-1', 'c-1', 'de', 'Seit Montag nichts.', '[{"from":"visitor"}]',
      '{"level":2}', 2, 'shipping', 'open', ${now}, 240, '2026-01-01T10:00:00.000Z', 'h', 'ag-1',
      ${now + 60_000}, null, 'u-1')`,
  // The visitor reopened the conversation (as the server records it, in the handoff's session).
  reopen: `insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id,
      conversation_id, user_id, props, client_hash)
    values ('0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f03', 'demo', 'conversation.reopened', ${now + 120_000},
      ${now + 120_000}, 's-1', 'a-1', 'c-1', null, '{"ticketId":"T-1","by":"visitor"}', null)`,
  messages: `insert into messages (id, handoff_id, author, text, ts)
    values ('m-1', 'h-1', 'agent', 'Wir kümmern uns.', ${now + 60_000})`,
  sites: `insert into sites (key, settings, updated_at) values ('demo', '{"title":"Demo"}', ${now})`,
  agents: `insert into agents (id, email, password_hash, role, created_at)
    values ('ag-1', 'ada@example.com', 'scrypt$x', 'admin', ${now})`,
  meta: `insert into meta (key, value) values ('salt', 'pepper')`,
  sizes: `insert into session_sizes (site_key, session_id, events) values ('demo', 's-1', 1)`,
  // An unanswered question already derived into a fact (whose locale the upgrade reads back).
  unanswered: `insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id,
      conversation_id, user_id, props, client_hash)
    values ('0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f02', 'demo', 'query.unanswered', ${now + 10},
      ${now + 10}, 's-2', 'a-2', null, null, '{"text":"Gibt es Gutscheine?","locale":"de"}', 'h')`,
  fact: `insert into metric_facts (site_key, event_id, session_id, type, ts, score, conversation_id,
      topic, text, norm, entry_id, helpful)
    values ('demo', '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f02', 's-2', 'query.unanswered', ${now + 10},
      null, null, null, 'Gibt es Gutscheine?', 'gibt es gutscheine', null, null)`,
};

// The event's session, marked for derivation as the shipped version marks it.
const marks = {
  sqlite: `insert into derive_dirty (site_key, session_id, gen, low_ts, low_id)
    values ('demo', 's-1', 1, ${now}, '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f01')`,
  postgres: `insert into derive_marks (site_key, session_id, low_ts, low_id)
    values ('demo', 's-1', ${now}, '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f01')`,
};

/** Creates the shipped schema and its rows with the dialect's own client, then closes it. */
async function createShippedDatabase(
  target: StoreTarget,
  location: { dataDir: string; databaseUrl?: string },
) {
  const shipped = migrations.filter((m) => m.version <= SHIPPED_VERSION);
  if (target.kind === 'sqlite') {
    const db = new Database(path.join(location.dataDir, 'lotse.db'));
    db.exec(
      'create table schema_migrations (version integer primary key, name text not null, applied_at integer not null)',
    );
    for (const m of shipped) {
      db.exec(migrationSql(m, 'sqlite'));
      db.prepare('insert into schema_migrations values (?, ?, ?)').run(m.version, m.name, now);
    }
    for (const insert of [...Object.values(rows), marks.sqlite]) db.exec(insert);
    db.close();
    return;
  }
  const sql = postgres(location.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(
      'create table schema_migrations (version integer primary key, name text not null, applied_at bigint not null)',
    );
    for (const m of shipped) {
      await sql.unsafe(migrationSql(m, 'postgres'));
      await sql`insert into schema_migrations values (${m.version}, ${m.name}, ${now})`;
    }
    for (const insert of [...Object.values(rows), marks.postgres]) await sql.unsafe(insert);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describeStores('upgrade from the shipped schema', (target) => {
  let store: Store | undefined;
  let cleanup: () => Promise<void>;
  let location: { dataDir: string; databaseUrl?: string };

  beforeEach(async () => {
    const prepared = await target.prepare();
    cleanup = prepared.cleanup;
    location = prepared;
    await createShippedDatabase(target, location);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await cleanup();
  });

  it('applies only the newer migrations and reads every row back', async () => {
    store = await openStore(location);
    expect(await store.migrate()).toBe(0);

    const [event] = await store.listEvents({ siteKey: 'demo' });
    expect(event).toMatchObject({
      id: '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f01',
      type: 'query.submitted',
      ts: now,
      receivedAt: now + 5,
      props: { text: 'Wo bleibt mein Paket?', topic: 'shipping' },
    });
    expect(await store.getHandoff('h-1')).toMatchObject({
      ticketId: 'T-1',
      email: 'Ada@Example.com',
      transcript: [{ from: 'visitor' }],
      classification: { level: 2 },
      level: 2,
      createdAt: now,
      assignee: 'ag-1',
      firstReplyAt: now + 60_000,
      closedAt: null,
      userId: 'u-1',
    });
    expect(await store.listHandoffsOfUser('demo', 'u-1', 10)).toHaveLength(1);
    expect(await store.listMessages('h-1')).toEqual([
      { id: 'm-1', handoffId: 'h-1', from: 'agent', text: 'Wir kümmern uns.', ts: now + 60_000 },
    ]);
    expect(await store.getSite('demo')).toEqual({
      key: 'demo',
      settings: { title: 'Demo' },
      updatedAt: now,
    });
    // Migration 20: an agent of before is active (no deactivation time).
    const agent = await store.getAgentByEmail('ADA@example.com');
    expect(agent).toMatchObject({ id: 'ag-1', role: 'admin' });
    expect(agent).not.toHaveProperty('deactivatedAt');
    expect(await store.getOrSetMeta('salt', 'other')).toBe('pepper');
    expect(await store.exportVisitor({ email: 'ada@example.com' })).toMatchObject({
      events: [
        { id: '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f01' },
        { id: '0e8c4bde-35a4-4dd5-9d66-6a4d3c1a3f03' },
      ],
      handoffs: [{ id: 'h-1' }],
      messages: [{ id: 'm-1' }],
    });
    expect(await store.listMetricFacts('demo', now, now + 11)).toMatchObject([
      { type: 'query.unanswered', text: 'Gibt es Gutscheine?', locale: 'de', kbVersion: null },
    ]);
    // The pending derivation survives the upgrade and runs.
    expect(await store.countDirtySessions('demo')).toBe(1);
    expect(
      await store.deriveDirty({ sites: new Map([['demo', undefined]]), maxSessions: 10 }),
    ).toBe(1);
    expect(await store.countDirtySessions('demo')).toBe(0);
    expect(await store.listStoredConversations('demo', now, now + 1)).toMatchObject([
      { sessionId: 's-1', topic: 'shipping', startedAt: now },
    ]);
    // Migrations 14 and 16 filled the team view's figures of the conversations already there: the
    // agent's reply one minute after the handoff is one minute of active time, and the reopen
    // stored before marks the handoff reopened.
    const team = await store.teamRows('demo', now, now + 1, { playbookSteps: () => 0 });
    expect(team.handoffs).toMatchObject([
      { createdAt: now, activeMs: 60_000, nextContactAt: null, reopened: true },
    ]);
  });
});
