import postgres from 'postgres';

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
