import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import type { ModelBuilder } from '../kb/knowledge-base.js';
import { silentLogger } from '../options.js';
import { type RunningServer, type StartServerOptions, startServer } from '../server.js';
import type { StoreTarget } from './stores.js';

/** The demo shop page of the repository (`examples/site`), served at `/demo/`. */
export const exampleSiteDir = path.resolve(import.meta.dirname, '../../../../examples/site');

/** Origin in the test site's allow-list. */
export const SHOP_ORIGIN = 'http://shop.test';

/** The test site's `identitySecret`, with which "its server" signs user ids. */
export const SHOP_IDENTITY_SECRET = 'shop-identity-secret-for-tests-only-0123';

/**
 * A builder that stands in for triage: the "model" lists the knowledge base's files; `INVALID`
 * fails. Checks are counted, none fail.
 */
export const fakeBuilder: ModelBuilder = async (source) => {
  const files = [{ f: 'lotse.config.json', text: source.config }]
    .concat(source.files.map((file) => ({ f: file.path, text: file.text })))
    .sort((a, b) => (a.f < b.f ? -1 : 1));
  const bad = files.find((x) => x.text.includes('INVALID'));
  if (bad !== undefined) throw new Error(`${bad.f}: line 1: invalid entry`);
  const json = JSON.stringify({ files });
  const total = source.checks?.split('\n').filter((line) => line.trim() !== '').length ?? 0;
  return {
    json,
    hash: createHash('sha256').update(json).digest('hex'),
    checks: { total, failed: [] },
  };
};

/** A response as the tests see it. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body bytes as received (still compressed when the server compressed them). */
  raw: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes; objects are sent as JSON. */
  body?: unknown;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
}

/** One HTTP request with full control over headers (no automatic Origin or Content-Length). */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || options.body instanceof Uint8Array
        ? Buffer.from(options.body)
        : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(body !== undefined &&
    options.body !== null &&
    typeof options.body === 'object' &&
    !(options.body instanceof Uint8Array)
      ? { 'content-type': 'application/json' }
      : {}),
    ...options.headers,
  };
  if (body !== undefined && !options.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? (body ? 'POST' : 'GET'), headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined && options.chunked) {
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

/** A started test server with helpers. */
export interface TestServer {
  server: RunningServer;
  url: string;
  kbDir: string;
  dataDir: string;
  /** What the server logged as errors (the log itself stays quiet), for failure messages. */
  errors: string[];
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  get(pathname: string, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Writes a site file and returns its path. */
export function writeSiteFile(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `site-${String(settings.key)}.json`);
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

/**
 * Starts the real server on 127.0.0.1 and a free port with two sites: `demo` (allow-list
 * http://shop.test, a knowledge-base folder, Berlin weekday hours, an identity secret) and `other`
 * (http://other.test, no identity secret).
 */
export async function startTestServer(
  target: StoreTarget,
  overrides: StartServerOptions = {},
): Promise<TestServer> {
  const location = await target.prepare();
  const kbDir = path.join(location.dataDir, 'kb');
  mkdirSync(kbDir);
  writeFileSync(path.join(kbDir, 'lotse.config.json'), '{"title":"Test"}');
  writeFileSync(path.join(kbDir, 'returns.md'), '# Returns\n');
  const weekday = ['09:00-17:00'];
  const demo = writeSiteFile(location.dataDir, {
    key: 'demo',
    title: 'Demo',
    allowedOrigins: [SHOP_ORIGIN],
    knowledgeBase: 'kb',
    responseMinutes: { '1': 480, '2': 240, '3': 960 },
    timeZone: 'Europe/Berlin',
    businessHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
    identitySecret: SHOP_IDENTITY_SECRET,
  });
  const other = writeSiteFile(location.dataDir, {
    key: 'other',
    title: 'Other',
    allowedOrigins: ['http://other.test'],
    responseMinutes: { '1': 60, '2': 60, '3': 60 },
    timeZone: 'UTC',
  });
  const errors: string[] = [];
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: location.dataDir,
    ...(location.databaseUrl === undefined ? {} : { databaseUrl: location.databaseUrl }),
    siteFiles: [demo, other],
    logger: { ...silentLogger, error: (...parts) => errors.push(parts.map(String).join(' ')) },
    buildModel: fakeBuilder,
    modelDebounceMs: 50,
    rateLimit: { client: false, site: false },
    secret: 'test-secret-test-secret-test-secret',
    admin: { password: 'test-password' },
    demoDir: exampleSiteDir,
    ...overrides,
  }).catch(async (error: unknown) => {
    await location.cleanup();
    throw error;
  });
  return {
    server,
    url: server.url,
    kbDir,
    dataDir: location.dataDir,
    errors,
    post: (pathname, body, headers = {}) => send(server.url + pathname, { body, headers }),
    get: (pathname, headers = {}) => send(server.url + pathname, { headers }),
    async close() {
      await server.close();
      await location.cleanup();
    },
  };
}
