import postgres from 'postgres';

/**
 * Empties a PostgreSQL database for a test or bench run: drops every table of its current schema, so
 * the list never lags behind the migrations.
 */
export async function resetPostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql.unsafe(`do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = current_schema() loop
    execute format('drop table if exists %I cascade', t);
  end loop;
end $$`);
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
}

/**
 * Vacuums and analyses a bench database after its bulk load, as autovacuum leaves tables filled over
 * weeks: timed right after the load, a request would share the two cores with autovacuum catching up
 * on a million new rows (seen as 0.6–1.6 s spreads between five requests).
 */
export async function settlePostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql.unsafe('vacuum analyze');
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
}
