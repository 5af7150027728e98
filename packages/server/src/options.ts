import { isIP } from 'node:net';
import path from 'node:path';
import type { RateRule } from './store/store.js';

/** Where the server writes its log lines. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

// Errors carry the prefix themselves (STYLE.md "Errors"); their messages are logged as they are.
const prefixed = (m: string) => (m.startsWith('[lotse] ') ? m : `[lotse] ${m}`);

/** Logs to the console with a `[lotse]` prefix (once: a message that has it keeps it). */
export const consoleLogger: Logger = {
  info: (m) => console.log(prefixed(m)),
  warn: (m) => console.warn(prefixed(m)),
  error: (m, e) => console.error(prefixed(m), ...(e === undefined ? [] : [e])),
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

/** Days events are kept (by receive time) unless `LOTSE_RETENTION_DAYS` says otherwise. */
export const DEFAULT_RETENTION_DAYS = 395;

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
    retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
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

/** A URL setting as it may be shown: a password inside it is replaced by `***`. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    // Without a host ("user:pass@db" reads as scheme "user:") the password is in the path.
    if (url.host !== '') {
      if (url.password === '') return raw;
      url.password = '***';
      return url.href;
    }
  } catch {
    // Not a URL: masked as text below.
  }
  // Where the password ends is unknown: everything before the last "@" goes.
  const start = raw.includes('//') ? raw.indexOf('//') + 2 : 0;
  const at = raw.lastIndexOf('@');
  return at >= start ? `${raw.slice(0, start)}***${raw.slice(at)}` : raw;
}

function refuse(name: string, shown: string, why: string): never {
  throw new ConfigError(`[lotse] ${name}=${shown}: ${why}`);
}

function int(
  env: NodeJS.ProcessEnv,
  name: string,
  range: { min: number; max?: number; why?: string },
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // Whatever Number() reads as a whole number is taken (`1e6`, `8080.0`), as it always was.
  const n = Number(raw);
  const { min, max } = range;
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const bounds = max === undefined ? `≥ ${min}` : `${min}–${max}`;
    refuse(
      name,
      raw,
      `must be a whole number ${bounds}${range.why === undefined ? '' : `; ${range.why}`}`,
    );
  }
  return n;
}

function rule(env: NodeJS.ProcessEnv, name: string): RateRule | false | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return false;
  const m = /^(\d+(?:\.\d+)?)\/s(?:,burst=(\d+))?$/.exec(raw);
  if (m === null) {
    refuse(
      name,
      raw,
      'use "<requests>/s" or "<requests>/s,burst=<n>" (e.g. "20/s,burst=60"), or "off"',
    );
  }
  const refillPerSecond = Number(m[1]);
  // An empty bucket that never refills answers 429 for ever, with a Retry-After that is not true.
  if (refillPerSecond === 0) {
    refuse(
      name,
      raw,
      'a rate of 0 lets one burst through and then nothing, ever (429 with a Retry-After that never comes true); give a rate above 0 (e.g. "20/s,burst=60"), or "off" for no limit',
    );
  }
  if (m[2] !== undefined && Number(m[2]) === 0) {
    refuse(name, raw, 'a burst of 0 lets nothing through; give at least burst=1, or "off"');
  }
  return {
    refillPerSecond,
    capacity: m[2] === undefined ? Math.max(1, refillPerSecond) : Number(m[2]),
  };
}

/** A URL setting: parsable, of one of `protocols`; refused naming the variable otherwise. */
function url(
  env: NodeJS.ProcessEnv,
  name: string,
  protocols: readonly string[],
  example: string,
): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !protocols.includes(parsed.protocol) || parsed.hostname === '') {
    refuse(name, maskUrl(raw), `must be a URL such as ${example}`);
  }
  return raw;
}

/**
 * `DATABASE_URL`: only its scheme is checked. postgres.js reads forms no WHATWG URL parser takes,
 * such as a Unix socket (`postgres:///lotse` with `PGHOST`) or several hosts
 * (`postgres://u:p@h1:5432,h2:5433/lotse`); it names what it cannot use when it connects.
 */
function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(?:ql)?:\/\//i.test(raw)) {
    refuse(
      'DATABASE_URL',
      maskUrl(raw),
      'must be a URL such as postgres://user:password@host:5432/lotse; unset it to use SQLite in LOTSE_DATA_DIR',
    );
  }
  return raw;
}

// RFC 1123 host names, and "_" as container names have it; a last label of digits only is a
// mistyped IPv4 address (RFC 3696 § 2). A name that resolves to nothing is named at listening (main.ts).
const hostLabel = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
function isHostName(value: string): boolean {
  const labels = value.replace(/\.$/, '').split('.');
  return (
    value.length <= 253 &&
    labels.every((l) => hostLabel.test(l)) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? '')
  );
}

/**
 * Whether a sender is a mailbox as nodemailer takes it: `name@domain`, or a display name with the
 * address in angle brackets (`Lotse <support@example.com>`, `"Shop, Support" <support@example.com>`).
 */
export function isMailbox(value: string): boolean {
  const address = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
  const named = /^(?:"[^"\\]*"|[^"<>@,;]*?)\s*<([^<>]+)>$/.exec(value.trim());
  return named === null ? address.test(value.trim()) : address.test(named[1] ?? '');
}

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

/**
 * Reads the documented environment variables (README "Settings") into options. A value it cannot
 * use throws a {@link ConfigError}; one it leaves out without harm is told to `logger` as a warning.
 *
 * @example
 * const options = serverOptionsFromEnv(process.env);
 */
export function serverOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  logger: Logger = consoleLogger,
): ServerOptions {
  const client = rule(env, 'LOTSE_RATE_LIMIT_CLIENT');
  const site = rule(env, 'LOTSE_RATE_LIMIT_SITE');
  const sync = env.LOTSE_SQLITE_SYNCHRONOUS;
  if (sync !== undefined && sync !== '' && sync !== 'full' && sync !== 'normal') {
    refuse('LOTSE_SQLITE_SYNCHRONOUS', sync, 'use "full" or "normal"');
  }
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const host = env.HOST || undefined;
  if (host !== undefined && isIP(host) === 0 && !isHostName(host)) {
    refuse(
      'HOST',
      host,
      'must be an IP address of this machine (e.g. 127.0.0.1, ::1, or 0.0.0.0 for every interface) or a host name; unset it to listen on every interface',
    );
  }
  // Proxies are compared by address (privacy/client-address.ts); a range or a name never matches.
  // Such an entry was always left out silently, so it is warned about, not refused: refusing
  // would stop servers that started before.
  const trustedProxies = list('LOTSE_TRUSTED_PROXIES').filter((entry) => {
    if (isIP(normaliseAddress(entry)) !== 0) return true;
    logger.warn(
      `LOTSE_TRUSTED_PROXIES: "${entry}" is ignored, as only exact IP addresses are supported (no ranges, no host names); list each proxy's address, comma-separated (e.g. "10.0.0.5,10.0.0.6")`,
    );
    return false;
  });
  const mailFrom = env.LOTSE_MAIL_FROM || undefined;
  if (mailFrom !== undefined && !isMailbox(mailFrom)) {
    refuse(
      'LOTSE_MAIL_FROM',
      mailFrom,
      'must be a sender address, e.g. "Lotse <support@example.com>" or support@example.com',
    );
  }
  return {
    ...optional(
      'port',
      int(env, 'PORT', { min: 0, max: 65_535, why: '0 picks any free port; unset it for 8787' }),
    ),
    ...optional('host', host),
    ...optional('dataDir', env.LOTSE_DATA_DIR || undefined),
    ...optional('databaseUrl', databaseUrl(env)),
    ...optional(
      'publicUrl',
      url(
        env,
        'LOTSE_PUBLIC_URL',
        ['http:', 'https:'],
        'https://support.example.com (the origin browsers reach this server at); unset it to use the origin of each request',
      ),
    ),
    ...optional('maxBodyBytes', int(env, 'LOTSE_MAX_BODY_BYTES', { min: 0 })),
    ...optional('maxHandoffBytes', int(env, 'LOTSE_MAX_HANDOFF_BYTES', { min: 0 })),
    ...optional(
      'retentionDays',
      int(env, 'LOTSE_RETENTION_DAYS', {
        min: 1,
        why: `events received more than this many days ago are deleted every 6 h, so 0 would delete every event, even one seconds old. Nothing keeps them for ever: unset it for the default ${DEFAULT_RETENTION_DAYS} days, or set a large number (3650 is ten years)`,
      }),
    ),
    ...optional('secret', env.LOTSE_SECRET || undefined),
    ...optional(
      'smtpUrl',
      url(
        env,
        'LOTSE_SMTP_URL',
        ['smtp:', 'smtps:'],
        'smtp://user:password@mail.example.com:587 or smtps://…:465; unset it to send no e-mail',
      ),
    ),
    ...optional('mailFrom', mailFrom),
    ...optional('sqliteSynchronous', (sync || undefined) as 'full' | 'normal' | undefined),
    trustedProxies,
    rateLimit: { ...optional('client', client), ...optional('site', site) },
    admin: {
      ...optional('email', env.LOTSE_ADMIN_EMAIL || undefined),
      ...optional('password', env.LOTSE_ADMIN_PASSWORD || undefined),
    },
  };
}
