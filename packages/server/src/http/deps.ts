import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { SessionRow } from '../auth/auth-queries.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import type { ModelRegistry } from '../kb/model-registry.js';
import type { LiveHub } from '../live/live-hub.js';
import type { Notifier } from '../notify/notifier.js';
import type { ResolvedServerOptions } from '../options.js';
import type { AddressHasher } from '../privacy/address-hasher.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { AgentRow, Store } from '../store/store.js';
import { apiError, rateLimited } from './errors.js';
import { readBody } from './read-body.js';

/** What the routes work with. */
export interface AppDeps {
  store: Store;
  sites: SiteRegistry;
  models: ModelRegistry;
  knowledgeBase: KnowledgeBase;
  options: ResolvedServerOptions;
  secret: Buffer;
  addresses: AddressHasher;
  /** Epoch milliseconds (injectable for tests). */
  now: () => number;
  /** Whether start-up has finished (`/healthz`). */
  isReady: () => boolean;
  /** The settings file that seeds a site at every start, if one does. @default none */
  siteFileOf?: (siteKey: string) => string | undefined;
  /** E-mail and webhook notifications. @default none */
  notifier?: Notifier;
  /** Live updates (server-sent events) of conversation changes. @default none */
  live?: LiveHub;
}

/** Hono environment of the app. */
export type AppEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** Hashed client address (set by the client middleware). */
    clientHash: string;
    /** The signed-in agent of an inbox, dashboard or admin request. */
    agent: AgentRow | undefined;
    /** That agent's session (its CSRF token guards every form post). */
    session: SessionRow | undefined;
  };
};

/** Context of an app request. */
export type AppContext = Context<AppEnv>;

/** The widget's own origin: `publicUrl`, or the origin the request was addressed to. */
export function ownOrigin(c: AppContext, deps: AppDeps): string {
  return deps.options.publicUrl ?? new URL(c.req.url).origin;
}

/** Header naming the knowledge-base version a model or widget answer belongs to. */
export const KB_VERSION_HEADER = 'X-Lotse-KB-Version';

/** Lets a page at `origin` read the answer (CORS), and the headers clients read in it. */
export function allowOrigin(c: AppContext, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Expose-Headers', `Retry-After, ETag, ${KB_VERSION_HEADER}`);
}

/**
 * Checks a request's `Origin` against the site: no `Origin` (server-side use) and the server's own
 * origin always pass; otherwise the origin must be in the site's allow-list. Returns an error answer
 * or undefined. Call it before building the answer: it sets or removes the CORS headers.
 */
export function checkOrigin(
  c: AppContext,
  deps: AppDeps,
  site: ResolvedSite,
): Response | undefined {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === ownOrigin(c, deps) || site.allowedOrigins.has(origin)) {
    // Also when the up-front check (app.ts) did not know the origin yet: a site another instance
    // added since the registry's last refresh.
    if (origin !== undefined) allowOrigin(c, origin);
    return undefined;
  }
  // Perhaps allowed up front as some other site's origin (app.ts), but not this site's.
  c.header('Access-Control-Allow-Origin', undefined);
  c.header('Access-Control-Expose-Headers', undefined);
  return apiError(
    c,
    403,
    'origin_not_allowed',
    `Origin ${origin.slice(0, 200)} is not in the allow-list of site "${site.key}".`,
    'origin',
  );
}

/** Takes a token from the site's bucket; returns a 429 answer or undefined. */
export async function limitSite(
  c: AppContext,
  deps: AppDeps,
  site: ResolvedSite,
): Promise<Response | undefined> {
  const rule = deps.options.rateLimit.site;
  if (rule === false) return undefined;
  const taken = await deps.store.takeToken(`site:${site.key}`, rule, deps.now());
  return taken.allowed ? undefined : rateLimited(c, taken.retryAfterMs, 'site');
}

/**
 * The site of `key` once its origin check and rate limit pass, or the error answer (unknown site
 * named in `field`, origin not allowed, rate limited).
 */
export async function admitSite(
  c: AppContext,
  deps: AppDeps,
  key: string,
  field: string,
): Promise<ResolvedSite | Response> {
  const site = await deps.sites.get(key);
  if (site === undefined) {
    return apiError(c, 403, 'unknown_site', `Unknown site key "${key.slice(0, 64)}".`, field);
  }
  return checkOrigin(c, deps, site) ?? (await limitSite(c, deps, site)) ?? site;
}

/** {@link admitSite} for the route's `:site` parameter. */
export function siteOfPath(c: AppContext, deps: AppDeps): Promise<ResolvedSite | Response> {
  return admitSite(c, deps, c.req.param('site') ?? '', 'site');
}

/** Reads and parses a JSON body under `limit` bytes; returns the value or an error answer. */
export async function readJson(
  c: AppContext,
  limit: number,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const body = await readBody(c.env?.incoming, c.req.raw, limit);
  if (!body.ok) {
    if (body.code === 'payload_too_large' || body.code === 'request_timeout') {
      // The rest of the body is not read: close the connection instead of draining it.
      c.header('Connection', 'close');
      const status = body.code === 'payload_too_large' ? 413 : 408;
      return { ok: false, response: apiError(c, status, body.code, body.message) };
    }
    return {
      ok: false,
      response: apiError(
        c,
        400,
        body.code === 'aborted' ? 'invalid_request' : 'invalid_json',
        body.message,
      ),
    };
  }
  try {
    // The reviver slows JSON.parse down; only escapes can produce NUL or lone surrogates (the
    // UTF-8 decoder already refused raw ones), so it runs only when such an escape is present.
    const value = suspiciousEscape.test(body.text)
      ? JSON.parse(body.text, cleanStrings)
      : JSON.parse(body.text);
    return { ok: true, value };
  } catch (error) {
    return {
      ok: false,
      response: apiError(
        c,
        400,
        'invalid_json',
        `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`,
      ),
    };
  }
}

const suspiciousEscape = /\\u(0000|d[89a-f])/i;
const suspicious = /[\0\ud800-\udfff]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON.parse reviver replacing NUL and lone UTF-16 surrogates with U+FFFD: JSON allows both as
 * escapes, but PostgreSQL's text and jsonb refuse them, and neither means anything in our data.
 */
function cleanStrings(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !suspicious.test(value)) return value;
  return value.replaceAll('\0', '\ufffd').replace(loneSurrogate, '\ufffd');
}

/** Whether a value is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
