#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { main } from './main.js';
import { consoleLogger, resolveServerOptions, serverOptionsFromEnv } from './options.js';
import { openStore } from './store/open-store.js';
import type { VisitorQuery } from './store/store.js';

const usage = `Usage:
  lotse-server [start]                          start the collector (PORT, LOTSE_DATA_DIR, DATABASE_URL, …)
  lotse-server export --email <address>         print one visitor's data as JSON
  lotse-server export --anonymous-id <uuid>
  lotse-server delete --email <address>         delete one visitor's events, handoffs and messages
  lotse-server delete --anonymous-id <uuid>
The store is chosen as for start: DATABASE_URL, else SQLite in LOTSE_DATA_DIR (default .lotse).`;

/** Runs the `lotse-server` command line; returns the exit code. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command = 'start', ...rest] = argv;
  if (command === 'start') {
    await main(env);
    return -1;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (command !== 'export' && command !== 'delete') {
    process.stderr.write(`lotse-server: unknown command "${command}"\n${usage}\n`);
    return 2;
  }
  let query: VisitorQuery;
  try {
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, 'anonymous-id': { type: 'string' } },
      strict: true,
    });
    const email = values.email;
    const anonymousId = values['anonymous-id'];
    if ((email === undefined) === (anonymousId === undefined)) {
      throw new Error('give exactly one of --email and --anonymous-id');
    }
    query = email !== undefined ? { email } : { anonymousId: anonymousId as string };
  } catch (error) {
    process.stderr.write(`lotse-server ${command}: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const options = resolveServerOptions({ ...serverOptionsFromEnv(env), logger: consoleLogger });
  const store = await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    const result =
      command === 'export' ? await store.exportVisitor(query) : await store.deleteVisitor(query);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `lotse-server: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
