import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  consoleLogger,
  isMailbox,
  maskUrl,
  resolveServerOptions,
  serverOptionsFromEnv,
  silentLogger,
} from './options.js';

/** The message a variable's value is refused with, or undefined when it is taken. */
function refusal(env: Record<string, string>): string | undefined {
  try {
    serverOptionsFromEnv(env);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('serverOptionsFromEnv', () => {
  it.each([
    [{ PORT: '70000' }, '[lotse] PORT=70000: must be a whole number 0–65535; '],
    [{ PORT: 'abc' }, '[lotse] PORT=abc: must be a whole number 0–65535; '],
    [{ PORT: '-1' }, '[lotse] PORT=-1: must be a whole number 0–65535; '],
    [{ PORT: '8080.5' }, '[lotse] PORT=8080.5: must be a whole number 0–65535; '],
    [{ PORT: '65536.0' }, '[lotse] PORT=65536.0: must be a whole number 0–65535; '],
    [
      { LOTSE_MAX_BODY_BYTES: 'NaN' },
      '[lotse] LOTSE_MAX_BODY_BYTES=NaN: must be a whole number ≥ 0',
    ],
    [{ LOTSE_MAX_BODY_BYTES: '-1e3' }, '[lotse] LOTSE_MAX_BODY_BYTES=-1e3: must be a whole number'],
    [{ LOTSE_MAX_BODY_BYTES: '1e400' }, '[lotse] LOTSE_MAX_BODY_BYTES=1e400: must be a whole'],
    [{ HOST: '999.1.1.1' }, '[lotse] HOST=999.1.1.1: must be an IP address of this machine'],
    [{ HOST: 'my host' }, '[lotse] HOST=my host: must be an IP address'],
    [{ HOST: '[::1]' }, '[lotse] HOST=[::1]: must be an IP address'],
    [
      { LOTSE_PUBLIC_URL: 'notaurl' },
      '[lotse] LOTSE_PUBLIC_URL=notaurl: must be a URL such as https://support.example.com',
    ],
    [
      { LOTSE_PUBLIC_URL: 'ftp://support.example.com' },
      '[lotse] LOTSE_PUBLIC_URL=ftp://support.example.com: must be a URL such as https://',
    ],
    [
      { DATABASE_URL: 'notaurl' },
      '[lotse] DATABASE_URL=notaurl: must be a URL such as postgres://user:password@host:5432/lotse; unset it to use SQLite',
    ],
    [
      { DATABASE_URL: 'mysql://lotse:s3cret@db/lotse' },
      '[lotse] DATABASE_URL=mysql://lotse:***@db/lotse: must be a URL such as postgres://',
    ],
    [
      { DATABASE_URL: 'postgres//lotse:s3cret@db/lotse' },
      '[lotse] DATABASE_URL=postgres//***@db/lotse: must be a URL such as postgres://',
    ],
    [
      { LOTSE_SMTP_URL: 'notaurl' },
      '[lotse] LOTSE_SMTP_URL=notaurl: must be a URL such as smtp://user:password@mail.example.com:587',
    ],
    [
      { LOTSE_SMTP_URL: 'http://mailer:s3cret@mail.example.com' },
      '[lotse] LOTSE_SMTP_URL=http://mailer:***@mail.example.com/: must be a URL such as smtp://',
    ],
    [{ LOTSE_RATE_LIMIT_CLIENT: '0/s' }, '[lotse] LOTSE_RATE_LIMIT_CLIENT=0/s: a rate of 0 lets'],
    [
      { LOTSE_RATE_LIMIT_SITE: '0.0/s,burst=10' },
      '[lotse] LOTSE_RATE_LIMIT_SITE=0.0/s,burst=10: a rate of 0',
    ],
    [
      { LOTSE_RATE_LIMIT_CLIENT: '5/s,burst=0' },
      '[lotse] LOTSE_RATE_LIMIT_CLIENT=5/s,burst=0: a burst of 0',
    ],
    [
      { LOTSE_MAIL_FROM: '<<<' },
      '[lotse] LOTSE_MAIL_FROM=<<<: must be a sender address, e.g. "Lotse <support@example.com>"',
    ],
    [{ LOTSE_RETENTION_DAYS: '0' }, '[lotse] LOTSE_RETENTION_DAYS=0: must be a whole number ≥ 1; '],
    [
      { LOTSE_SQLITE_SYNCHRONOUS: 'off' },
      '[lotse] LOTSE_SQLITE_SYNCHRONOUS=off: use "full" or "normal"',
    ],
  ])('refuses %o naming the variable, its value and the fix', (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  it('takes any whole number as Number() reads it, as before', () => {
    expect(serverOptionsFromEnv({ LOTSE_MAX_BODY_BYTES: '1e6', PORT: '8080.0' })).toMatchObject({
      maxBodyBytes: 1_000_000,
      port: 8080,
    });
    expect(serverOptionsFromEnv({ LOTSE_RETENTION_DAYS: ' 30 ' }).retentionDays).toBe(30);
  });

  it('takes every DATABASE_URL postgres.js reads, a Unix socket and several hosts too', () => {
    for (const databaseUrl of [
      'postgres:///lotse',
      'postgres://lotse:s3cret@h1:5432,h2:5433/lotse',
      'postgresql://lotse@/lotse?host=/var/run/postgresql',
    ]) {
      expect(serverOptionsFromEnv({ DATABASE_URL: databaseUrl }).databaseUrl).toBe(databaseUrl);
    }
    // A refused one is still shown without its password, also where no URL parser reads it.
    expect(refusal({ DATABASE_URL: 'mysql://lotse:s3cret@h1:3306,h2:3306/lotse' })).toBe(
      '[lotse] DATABASE_URL=mysql://***@h1:3306,h2:3306/lotse: must be a URL such as postgres://user:password@host:5432/lotse; unset it to use SQLite in LOTSE_DATA_DIR',
    );
  });

  it('warns about a trusted proxy that is no IP address and leaves it out, as it never matched', () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const options = serverOptionsFromEnv(
      { LOTSE_TRUSTED_PROXIES: '10.0.0.5, 10.0.0.0/8, proxy.internal, 1.2.3.4.5, ::1' },
      logger,
    );
    expect(options.trustedProxies).toEqual(['10.0.0.5', '::1']);
    expect(warnings).toEqual(
      ['10.0.0.0/8', 'proxy.internal', '1.2.3.4.5'].map(
        (entry) =>
          `LOTSE_TRUSTED_PROXIES: "${entry}" is ignored, as only exact IP addresses are supported (no ranges, no host names); list each proxy's address, comma-separated (e.g. "10.0.0.5,10.0.0.6")`,
      ),
    );
    warnings.length = 0;
    serverOptionsFromEnv({ LOTSE_TRUSTED_PROXIES: '10.0.0.5, ::ffff:10.0.0.6' }, logger);
    expect(warnings).toEqual([]);
  });

  it('says how to keep events longer, as there is no "keep for ever"', () => {
    expect(refusal({ LOTSE_RETENTION_DAYS: '0' })).toBe(
      '[lotse] LOTSE_RETENTION_DAYS=0: must be a whole number ≥ 1; events received more than this many days ago are deleted every 6 h, so 0 would delete every event, even one seconds old. Nothing keeps them for ever: unset it for the default 395 days, or set a large number (3650 is ten years)',
    );
  });

  it('never shows a password inside a URL', () => {
    for (const [name, value] of [
      ['DATABASE_URL', 'postgres//lotse:s3cret@db:5432/lotse'],
      ['DATABASE_URL', 'redis://lotse:s3cret@db'],
      ['LOTSE_SMTP_URL', 'smtp//mailer:s3cret@mail'],
      ['LOTSE_PUBLIC_URL', 'ftp://me:s3cret@example.com'],
    ] as const) {
      const message = refusal({ [name]: value });
      expect(message, value).toContain(`${name}=`);
      expect(message, value).not.toContain('s3cret');
    }
  });

  it('takes the values it documents', () => {
    const options = serverOptionsFromEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://lotse:lotse@127.0.0.1:5432/lotse',
      LOTSE_PUBLIC_URL: 'https://support.example.com',
      LOTSE_SMTP_URL: 'smtps://mailer:pass@mail.example.com:465',
      LOTSE_MAIL_FROM: '"Shop, Support" <support@example.com>',
      LOTSE_TRUSTED_PROXIES: '10.0.0.5, ::ffff:10.0.0.6, ::1',
      LOTSE_RATE_LIMIT_CLIENT: '0.5/s',
      LOTSE_RATE_LIMIT_SITE: 'off',
      LOTSE_RETENTION_DAYS: '1',
    });
    expect(options).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'https://support.example.com',
      trustedProxies: ['10.0.0.5', '::ffff:10.0.0.6', '::1'],
      rateLimit: { client: { refillPerSecond: 0.5, capacity: 1 }, site: false },
      retentionDays: 1,
    });
    for (const host of ['localhost', 'lotse.internal', '0.0.0.0', '::']) {
      expect(serverOptionsFromEnv({ HOST: host }).host).toBe(host);
    }
    expect(resolveServerOptions(serverOptionsFromEnv({})).retentionDays).toBe(395);
  });
});

describe('isMailbox', () => {
  it.each([
    ['support@example.com', true],
    ['Lotse <lotse@localhost>', true],
    ['"Shop, Support" <support@example.com>', true],
    ['<support@example.com>', true],
    ['<<<', false],
    ['Lotse', false],
    ['Lotse <>', false],
    ['a@b, c@d', false],
    ['Lotse <support@example.com', false],
  ])('%s → %s', (value, expected) => {
    expect(isMailbox(value)).toBe(expected);
  });
});

describe('maskUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(maskUrl('postgres://lotse:s3cret@db:5432/lotse')).toBe(
      'postgres://lotse:***@db:5432/lotse',
    );
    expect(maskUrl('postgres://db/lotse')).toBe('postgres://db/lotse');
    expect(maskUrl('user:s3cret@db')).toBe('***@db');
  });
});

describe('consoleLogger', () => {
  it('prefixes a line once, also a message that carries the prefix', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      consoleLogger.error('[lotse] PORT=abc: must be a whole number');
      consoleLogger.error('shutdown failed');
      expect(log.mock.calls.map((c) => c[0])).toEqual([
        '[lotse] PORT=abc: must be a whole number',
        '[lotse] shutdown failed',
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
