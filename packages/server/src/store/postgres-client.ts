import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { LotseTables } from './schema.js';

/** A `postgres` client as every part of the PostgreSQL store uses it. */
export function createPostgresClient(url: string, maxConnections: number): postgres.Sql {
  return postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    // JIT compilation costs ~0.5 s on the dashboard's aggregates and gains nothing on short queries.
    connection: { jit: 'off' },
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
