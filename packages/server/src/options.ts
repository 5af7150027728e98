import path from 'node:path';
import type { RateRule } from './store/store.js';

/** Where the server writes its log lines. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Logs to the console with a `[lotse]` prefix. */
export const consoleLogger: Logger = {
  info: (m) => console.log(`[lotse] ${m}`),
  warn: (m) => console.warn(`[lotse] ${m}`),
  error: (m, e) => console.error(`[lotse] ${m}`, ...(e === undefined ? [] : [e])),
};

/** Logs nothing (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Options of the collector; every one has a default (see `resolveServerOptions`). */
export interface ServerOptions {
  /** @default 8787 */
  port?: number;
  /** Interface to listen on. @default all interfaces */
  host?: string;
  /** Folder of the SQLite file and the secret. @default '.lotse' (in the working directory) */
  dataDir?: string;
  /** PostgreSQL URL; when set, PostgreSQL replaces SQLite. */
  databaseUrl?: string;
  /** Public origin of this server (the widget's own origin), when a proxy rewrites `Host`. */
  publicUrl?: string;
  /** Site files seeded (inserted or updated) at start. @default [] */
  siteFiles?: string[];
  /** Largest `POST /v1/events`, conversation message or reopen body. @default 65536 (DESIGN.md) */
  maxBodyBytes?: number;
  /** Largest `POST /v1/handoffs` body (50 transcript lines of up to 5 000 characters). @default 1048576 */
  maxHandoffBytes?: number;
  /** Most events per request. @default 100 (DESIGN.md) */
  maxBatchEvents?: number;
  /** Token buckets per client address and per site; `false` turns one off. */
  rateLimit?: { client?: RateRule | false; site?: RateRule | false };
  /** Addresses of reverse proxies whose `X-Forwarded-For` is believed. @default [] */
  trustedProxies?: string[];
  /** Events older than this many days (by receive time) are deleted. @default 395 */
  retentionDays?: number;
  /** How often the retention job runs. @default 21600000 (6 h) */
  retentionIntervalMs?: number;
  /** Quiet time after a knowledge-base change before the model is rebuilt. @default 300 */
  modelDebounceMs?: number;
  /** Rebuild models when their knowledge-base folder changes. @default true */
  watchKnowledgeBases?: boolean;
  /** How often sites are re-read from the store (other instances may change them). @default 10000 */
  siteRefreshMs?: number;
  /** @default 'full' (an acknowledged batch survives power loss) */
  sqliteSynchronous?: 'full' | 'normal';
  /**
   * Server secret (≥ 32 characters) from which conversation tokens are derived. Several instances
   * on one PostgreSQL must share it. @default generated once into `<dataDir>/secret.key`
   */
  secret?: string;
  /** The first admin, created when there is no agent yet. */
  admin?: { email?: string; password?: string };
  /** Folder served at `/demo/` (the demo shop page, `examples/site`). @default none: `/demo/` is 404 */
  demoDir?: string;
  /** SMTP server for notifications (`smtp://user:pass@host:587`, `smtps://…`). @default none: no e-mail */
  smtpUrl?: string;
  /** Sender of notification e-mails. @default 'Lotse <lotse@localhost>' */
  mailFrom?: string;
  /** How often open conversations are checked for being overdue. @default 60000 */
  overdueCheckMs?: number;
  /** @default consoleLogger */
  logger?: Logger;
}

/** Options after defaults. */
export interface ResolvedServerOptions {
  port: number;
  host: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  siteFiles: string[];
  maxBodyBytes: number;
  maxHandoffBytes: number;
  maxBatchEvents: number;
  rateLimit: { client: RateRule | false; site: RateRule | false };
  trustedProxies: ReadonlySet<string>;
  retentionDays: number;
  retentionIntervalMs: number;
  modelDebounceMs: number;
  watchKnowledgeBases: boolean;
  siteRefreshMs: number;
  sqliteSynchronous: 'full' | 'normal';
  secret: string | undefined;
  admin: { email: string; password: string | undefined };
  demoDir: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  overdueCheckMs: number;
  logger: Logger;
}

/**
 * Default rate limits. Per client: the SDK sends a batch every few seconds, so 20 requests a second
 * with bursts of 60 leave room for a busy tab plus handoffs. Per site: 1 000 requests a second
 * (≈ 20 000 events/s at 20 events a batch) with bursts of 2 000.
 */
export const DEFAULT_RATE_LIMITS = {
  client: { capacity: 60, refillPerSecond: 20 },
  site: { capacity: 2000, refillPerSecond: 1000 },
} as const;

/** Normalises an address for comparison (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** Applies the defaults of {@link ServerOptions}. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const rate = options.rateLimit ?? {};
  return {
    port: options.port ?? 8787,
    host: options.host,
    dataDir: path.resolve(options.dataDir ?? '.lotse'),
    databaseUrl: options.databaseUrl === '' ? undefined : options.databaseUrl,
    publicUrl: options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin,
    siteFiles: options.siteFiles ?? [],
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxHandoffBytes: options.maxHandoffBytes ?? 1024 * 1024,
    maxBatchEvents: options.maxBatchEvents ?? 100,
    rateLimit: {
      client: rate.client ?? DEFAULT_RATE_LIMITS.client,
      site: rate.site ?? DEFAULT_RATE_LIMITS.site,
    },
    trustedProxies: new Set((options.trustedProxies ?? []).map(normaliseAddress)),
    retentionDays: options.retentionDays ?? 395,
    retentionIntervalMs: options.retentionIntervalMs ?? 6 * 3_600_000,
    modelDebounceMs: options.modelDebounceMs ?? 300,
    watchKnowledgeBases: options.watchKnowledgeBases ?? true,
    siteRefreshMs: options.siteRefreshMs ?? 10_000,
    sqliteSynchronous: options.sqliteSynchronous ?? 'full',
    secret: options.secret,
    admin: {
      email: options.admin?.email ?? 'admin@example.com',
      password: options.admin?.password,
    },
    demoDir: options.demoDir === undefined ? undefined : path.resolve(options.demoDir),
    smtpUrl: options.smtpUrl === '' ? undefined : options.smtpUrl,
    mailFrom: options.mailFrom ?? 'Lotse <lotse@localhost>',
    overdueCheckMs: options.overdueCheckMs ?? 60_000,
    logger: options.logger ?? consoleLogger,
  };
}

/** Thrown for an environment variable the server cannot use. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function int(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigError(`[lotse] ${name}=${raw}: must be a whole number ≥ 0`);
  }
  return n;
}

function rule(env: NodeJS.ProcessEnv, name: string): RateRule | false | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return false;
  const m = /^(\d+(?:\.\d+)?)\/s(?:,burst=(\d+))?$/.exec(raw);
  if (m === null) {
    throw new ConfigError(
      `[lotse] ${name}=${raw}: use "<requests>/s" or "<requests>/s,burst=<n>" (e.g. "20/s,burst=60"), or "off"`,
    );
  }
  const refillPerSecond = Number(m[1]);
  return {
    refillPerSecond,
    capacity: m[2] === undefined ? Math.max(1, refillPerSecond) : Number(m[2]),
  };
}

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

/**
 * Reads the documented environment variables (README "Settings") into options.
 *
 * @example
 * const options = serverOptionsFromEnv(process.env);
 */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const client = rule(env, 'LOTSE_RATE_LIMIT_CLIENT');
  const site = rule(env, 'LOTSE_RATE_LIMIT_SITE');
  const sync = env.LOTSE_SQLITE_SYNCHRONOUS;
  if (sync !== undefined && sync !== '' && sync !== 'full' && sync !== 'normal') {
    throw new ConfigError(`[lotse] LOTSE_SQLITE_SYNCHRONOUS=${sync}: use "full" or "normal"`);
  }
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    ...optional('port', int(env, 'PORT')),
    ...optional('host', env.HOST || undefined),
    ...optional('dataDir', env.LOTSE_DATA_DIR || undefined),
    ...optional('databaseUrl', env.DATABASE_URL || undefined),
    ...optional('publicUrl', env.LOTSE_PUBLIC_URL || undefined),
    ...optional('maxBodyBytes', int(env, 'LOTSE_MAX_BODY_BYTES')),
    ...optional('maxHandoffBytes', int(env, 'LOTSE_MAX_HANDOFF_BYTES')),
    ...optional('retentionDays', int(env, 'LOTSE_RETENTION_DAYS')),
    ...optional('secret', env.LOTSE_SECRET || undefined),
    ...optional('smtpUrl', env.LOTSE_SMTP_URL || undefined),
    ...optional('mailFrom', env.LOTSE_MAIL_FROM || undefined),
    ...optional('sqliteSynchronous', (sync || undefined) as 'full' | 'normal' | undefined),
    trustedProxies: list('LOTSE_TRUSTED_PROXIES'),
    rateLimit: { ...optional('client', client), ...optional('site', site) },
    admin: {
      ...optional('email', env.LOTSE_ADMIN_EMAIL || undefined),
      ...optional('password', env.LOTSE_ADMIN_PASSWORD || undefined),
    },
  };
}
