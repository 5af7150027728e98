import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { LotseTables } from './schema.js';

/** A `postgres` client as every part of the PostgreSQL store uses it, with extra `settings`. */
export function createPostgresClient(
  url: string,
  maxConnections: number,
  settings: Record<string, string> = {},
): postgres.Sql {
  return postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    // JIT compilation costs ~0.5 s on the dashboard's aggregates and gains nothing on short queries.
    // A plan per execution: the generic plan PostgreSQL caches after five runs of a prepared
    // statement cannot see the arrays our statements unnest; the event insert's own client
    // (postgres-store.ts) prices out the plan that scanned `events` whole.
    connection: { jit: 'off', plan_cache_mode: 'force_custom_plan', ...settings },
    // int8 columns hold epoch milliseconds, well inside Number's exact range.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  });
}

/** The query layer over a client of {@link createPostgresClient}. */
export function postgresKysely(client: postgres.Sql): Kysely<LotseTables> {
  return new Kysely<LotseTables>({ dialect: new PostgresJSDialect({ postgres: client }) });
}
