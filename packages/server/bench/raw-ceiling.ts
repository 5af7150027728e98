// The raw ceiling of bench/ingest.ts (issue 13): what plain node:http and the database do with the
// same batches when nothing else runs — parse the JSON body and insert its events in one
// transaction, with no validation, limits, duplicate check, session sizes or derivation. The table
// has the columns of Lotse's `events` (migration 1) and only its primary key.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { resetPostgres } from '../src/test-support/reset-postgres.js';

/** Where the raw ceiling stores: a new SQLite file in `dataDir`, or an emptied PostgreSQL database. */
export type RawCeilingOptions = { dataDir: string } | { databaseUrl: string };

/** A listening raw-ceiling server. */
export interface RawCeiling {
  server: Server;
  close(): Promise<void>;
}

type RawEvent = Record<string, unknown>;
type InsertBatch = (events: RawEvent[]) => Promise<number>;

const text = (v: unknown) => (v === undefined ? null : v);

function openSqlite(dataDir: string): { insert: InsertBatch; close(): void } {
  const db = new Database(path.join(dataDir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table events (id text primary key, site_key text not null, type text not null,
    ts integer not null, received_at integer not null, session_id text not null,
    anonymous_id text not null, conversation_id text, user_id text, props text not null, client_hash text)`);
  const insert = db.prepare('insert into events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertAll = db.transaction((events: RawEvent[], receivedAt: number) => {
    for (const e of events) {
      insert.run(
        e.id,
        e.siteKey,
        e.type,
        e.ts,
        receivedAt,
        e.sessionId,
        e.anonymousId,
        text(e.conversationId),
        text(e.userId),
        JSON.stringify(e.props),
        null,
      );
    }
    return events.length;
  });
  return { insert: async (events) => insertAll(events, Date.now()), close: () => db.close() };
}

async function openPostgres(url: string): Promise<{ insert: InsertBatch; close(): Promise<void> }> {
  await resetPostgres(url);
  // As many connections as Lotse's PostgreSQL store opens (postgres-store.ts).
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  await sql`create table events (id text primary key, site_key text not null, type text not null,
    ts bigint not null, received_at bigint not null, session_id text not null,
    anonymous_id text not null, conversation_id text, user_id text, props jsonb not null, client_hash text)`;
  const column = (events: RawEvent[], key: string) => events.map((e) => text(e[key]) as string);
  return {
    async insert(events) {
      const receivedAt = String(Date.now());
      const r = await sql`
        insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props)
        select id, site_key, type, ts, ${receivedAt}::int8, session_id, anonymous_id, conversation_id, user_id, props::jsonb
        from unnest(${column(events, 'id')}::text[], ${column(events, 'siteKey')}::text[],
          ${column(events, 'type')}::text[], ${events.map((e) => String(e.ts))}::int8[],
          ${column(events, 'sessionId')}::text[], ${column(events, 'anonymousId')}::text[],
          ${column(events, 'conversationId')}::text[], ${column(events, 'userId')}::text[],
          ${events.map((e) => JSON.stringify(e.props))}::text[])
          as u(id, site_key, type, ts, session_id, anonymous_id, conversation_id, user_id, props)`;
      return r.count;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Starts the raw ceiling on a free loopback port; POST any path with `{"events": [...]}`. */
export async function startRawCeiling(options: RawCeilingOptions): Promise<RawCeiling> {
  const store =
    'databaseUrl' in options
      ? await openPostgres(options.databaseUrl)
      : openSqlite(options.dataDir);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        events: RawEvent[];
      };
      store.insert(events).then(
        (accepted) => {
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ accepted }));
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeIdleConnections();
      });
      await store.close();
    },
  };
}
