#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { uuidSchema } from '@lotse/sdk/schema';
import { isAgentAddress } from './agents/agent-roles.js';
import { hashPassword } from './agents/password.js';
import { createInvitation } from './auth/invitations.js';
import { MIN_PASSWORD_LENGTH } from './auth/login-routes.js';
import { kbUsage, runKbCommand } from './kb/kb-commands.js';
import { describeStartError, main } from './main.js';
import { consoleLogger, resolveServerOptions, serverOptionsFromEnv } from './options.js';
import { openStore } from './store/open-store.js';
import type { VisitorQuery } from './store/store.js';

// A value that cannot be an address or id is refused rather than answered with an empty export
// (which reads as "no data about this person"). Addresses are checked loosely, as the admin page
// invites agents (admin@localhost) and mail brings customers: no space, one "@" with text around.
function checkEmail(value: string): string {
  if (!isAgentAddress(value)) {
    throw new Error(`--email: "${value}" is not an e-mail address (expected name@example.com)`);
  }
  return value;
}

function checkUuid(value: string | undefined): string {
  if (value === undefined || !uuidSchema.safeParse(value).success) {
    throw new Error(
      `--anonymous-id: "${value}" is not an anonymous id (expected the SDK's UUID, e.g. 0b6f7d8e-2c4a-4f1b-9e3d-5a6b7c8d9e0f)`,
    );
  }
  return value;
}

const usage = `Usage:
  lotse-server [start]                          start the collector (PORT, LOTSE_DATA_DIR, DATABASE_URL, …)
  lotse-server export --email <address>         print one visitor's data as JSON
  lotse-server export --anonymous-id <uuid>
  lotse-server delete --email <address>         delete one visitor's events, handoffs, messages and notes
  lotse-server delete --anonymous-id <uuid>
  lotse-server reset-password --email <agent>   print a one-time link (7 days) to set a new password
  lotse-server reset-password --email <agent> --password <new>   set it directly (≥ 12 characters)
${kbUsage}
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
  if (command === 'reset-password') return resetPassword(rest, env);
  if (command === 'kb') return runKbCommand(rest, { env, usage });
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
    query =
      email !== undefined ? { email: checkEmail(email) } : { anonymousId: checkUuid(anonymousId) };
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

/** `reset-password`: sets an agent's password, or prints a one-time link at which they set it. */
async function resetPassword(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let email: string;
  let password: string | undefined;
  try {
    const { values } = parseArgs({
      args,
      options: { email: { type: 'string' }, password: { type: 'string' } },
      strict: true,
    });
    if (values.email === undefined) throw new Error('--email is required');
    checkEmail(values.email);
    if (values.password !== undefined && [...values.password].length < MIN_PASSWORD_LENGTH) {
      throw new Error(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    email = values.email;
    password = values.password;
  } catch (error) {
    process.stderr.write(`lotse-server reset-password: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const options = resolveServerOptions({ ...serverOptionsFromEnv(env), logger: consoleLogger });
  const store = await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    const agent = await store.getAgentByEmail(email);
    if (agent === undefined) {
      // Exit 1, not 2: the argument is well-formed, the store has no such account. Listing the
      // accounts shows a typo, and an empty or unexpected list shows a wrong store.
      const known = (await store.listAgents()).map((a) => a.email);
      const listed =
        known.length === 0
          ? 'it has no agents yet: start the server once to create the first admin'
          : `agents: ${known.slice(0, 5).join(', ')}${known.length > 5 ? ` and ${known.length - 5} more` : ''}`;
      process.stderr.write(
        `lotse-server reset-password: --email: there is no agent ${email} in this store (${listed}). Invite a new agent at /admin/, or check DATABASE_URL and LOTSE_DATA_DIR.\n`,
      );
      return 1;
    }
    if (password !== undefined) {
      await store.setAgentPassword(email, await hashPassword(password));
      // A link printed before must not set another password over this one.
      await store.voidInvitations(email, Date.now());
      process.stdout.write(`password of ${agent.email} changed\n`);
      return 0;
    }
    const base = options.publicUrl ?? `http://localhost:${options.port}`;
    const link = await createInvitation({
      store,
      email: agent.email,
      role: agent.role,
      kind: 'reset',
      now: Date.now(),
      baseUrl: base,
    });
    process.stdout.write(`${link}\n`);
    // The command does not know where the server is reached; stdout stays the link alone.
    if (options.publicUrl === undefined) {
      process.stderr.write(
        `lotse-server reset-password: the link starts with ${base}, made from ${env.PORT ? `PORT=${env.PORT}` : 'the default port 8787'} as LOTSE_PUBLIC_URL is not set. If the agent reaches the server elsewhere, run this again with LOTSE_PUBLIC_URL set to the server's public origin (e.g. LOTSE_PUBLIC_URL=https://support.example.com), or put that origin in place of ${base}.\n`,
      );
    }
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
    // `lotse-server:` stands for the `[lotse]` prefix the message carries.
    const message = describeStartError(error).replace(/^\[lotse\] /, '');
    process.stderr.write(`lotse-server: ${message}\n`);
    process.exitCode = 1;
  },
);
