import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createPostgresStore } from './postgres-store.js';
import { createSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** PostgreSQL URL; when set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string | undefined;
  /** Folder of the SQLite file `lotse.db` (created if missing). */
  dataDir: string;
  /** @default 'full' */
  sqliteSynchronous?: 'full' | 'normal';
}

/** Opens the configured store and applies its pending migrations. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let store: Store;
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    store = createPostgresStore({ url: options.databaseUrl });
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    store = createSqliteStore({
      file: path.join(options.dataDir, 'lotse.db'),
      synchronous: options.sqliteSynchronous ?? 'full',
    });
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
