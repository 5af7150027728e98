import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { resetPostgres } from './reset-postgres.js';

/** PostgreSQL database the suites use (dropped and re-created table by table for each test). */
export const testDatabaseUrl =
  process.env.LOTSE_TEST_DATABASE_URL ?? 'postgres://lotse:lotse@127.0.0.1:5432/lotse_test';

/** Where a suite's server keeps its data: a fresh SQLite folder, or a reset PostgreSQL database. */
export interface StoreTarget {
  kind: 'sqlite' | 'postgres';
  /** Creates an empty data location and returns the options that select it. */
  prepare(): Promise<{ dataDir: string; databaseUrl?: string; cleanup(): Promise<void> }>;
  /** Prepares a location and opens a migrated store on it. */
  open(): Promise<{
    store: Store;
    dataDir: string;
    databaseUrl?: string;
    cleanup(): Promise<void>;
  }>;
}

/** Why PostgreSQL cannot be used, or undefined when it answers. */
async function probePostgres(url: string): Promise<string | undefined> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} is unreachable (${(error as Error).message}); run scripts/postgres.sh as root`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

const pgUnavailable = await probePostgres(testDatabaseUrl);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'lotse-server-test-'));
}

/** A fresh SQLite folder per server (for suites whose subject does not depend on the store). */
export const sqliteTarget: StoreTarget = {
  kind: 'sqlite',
  async prepare() {
    const dataDir = tempDir();
    return { dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  },
  async open() {
    const location = await this.prepare();
    const store = await openStore({ dataDir: location.dataDir }).catch(async (error: unknown) => {
      await location.cleanup();
      throw error;
    });
    return { ...location, store };
  },
};

const postgresTarget: StoreTarget = {
  kind: 'postgres',
  async prepare() {
    await resetPostgres(testDatabaseUrl);
    const dataDir = tempDir();
    return {
      dataDir,
      databaseUrl: testDatabaseUrl,
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
  async open() {
    const location = await this.prepare();
    const store = await openStore({
      dataDir: location.dataDir,
      databaseUrl: testDatabaseUrl,
    }).catch(async (error: unknown) => {
      await location.cleanup();
      throw error;
    });
    return { ...location, store };
  },
};

/**
 * Runs one suite against SQLite and PostgreSQL. Without PostgreSQL the second half is skipped with
 * the reason printed, except under `CI`, where it fails: CI must test both stores.
 */
export function describeStores(name: string, suite: (target: StoreTarget) => void): void {
  describe.each([sqliteTarget, postgresTarget])(`${name} ($kind)`, (target) => {
    if (target.kind === 'postgres' && pgUnavailable !== undefined) {
      if (process.env.CI) {
        it('reaches PostgreSQL (required under CI)', () => {
          throw new Error(pgUnavailable);
        });
      } else {
        console.warn(`[lotse] skipping the PostgreSQL half of "${name}": ${pgUnavailable}`);
        it.skip('PostgreSQL unavailable', () => {});
      }
      return;
    }
    suite(target);
  });
}

/** The store a test of {@link describeOpenStores} works on. */
export interface OpenStore {
  readonly store: Store;
}

/**
 * Runs one suite on SQLite and PostgreSQL (as {@link describeStores}), each test on a freshly opened,
 * migrated store that is closed and removed after it.
 */
export function describeOpenStores(name: string, suite: (t: OpenStore) => void): void {
  describeStores(name, (target) => {
    let opened: Awaited<ReturnType<StoreTarget['open']>> | undefined;
    beforeEach(async () => {
      opened = await target.open();
    });
    afterEach(async () => {
      await opened?.store.close();
      await opened?.cleanup();
      opened = undefined;
    });
    suite({
      get store() {
        if (opened === undefined) throw new Error('[lotse] the store is open only within a test');
        return opened.store;
      },
    });
  });
}
