// Shared by the benches that bulk-load a month of events before timing requests.
import postgres from 'postgres';
import { seconds } from './format.js';

/**
 * Vacuums and analyses a bench database after its bulk load, as autovacuum leaves tables filled over
 * weeks: timed right after the load, a request would share the two cores with autovacuum catching up
 * on a million new rows (seen as 0.6–1.6 s spreads between five requests). Prints how long it took;
 * SQLite (no URL) has nothing to settle.
 */
export async function settlePostgres(label: string, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  const started = performance.now();
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql.unsafe('vacuum analyze');
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
  console.log(
    `  ${label}: vacuum analyze after the load in ${seconds(performance.now() - started)}`,
  );
}
