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
