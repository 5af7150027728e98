// Shared by the benches that bulk-load a month of events before timing requests.
import postgres from 'postgres';

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
