import { inspect } from 'node:util';
import { Hono } from 'hono';
import { registerConversationRoutes } from '../ingest/conversations-route.js';
import { registerEventRoutes } from '../ingest/events-route.js';
import { registerHandoffRoutes } from '../ingest/handoffs-route.js';
import { registerModelRoutes } from '../kb/model-route.js';
import { registerLiveRoutes } from '../live/live-routes.js';
import { registerRatingRoutes } from '../mail/rating-routes.js';
import { registerAgentPages } from '../pages/register-agent-pages.js';
import { clientAddress } from '../privacy/client-address.js';
import { registerDemoPage } from './demo-page.js';
import { type AppContext, type AppDeps, type AppEnv, allowOrigin, ownOrigin } from './deps.js';
import { apiError, rateLimited } from './errors.js';
import { registerWidgetRoutes } from './widget-routes.js';

/**
 * Blanks every run of 32 or more base64url characters: conversation, invitation and session tokens
 * are 43 (32 random bytes, auth/sessions.ts, auth/invitations.ts, secrets.ts).
 */
function blankTokens(text: string): string {
  return text.replace(/[A-Za-z0-9_-]{32,}/g, '…');
}

/**
 * Builds the HTTP app: `/v1` API, `/healthz`, the widget's files and the demo page.
 *
 * @example
 * serve({ fetch: createApp(deps).fetch, port: 8787 });
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { options } = deps;

  // Headers are set before the route, so that the response it builds through the context (c.json,
  // c.body, …) carries them: set on a finished response, each one made Hono copy it into a new one
  // that the Node adapter then had to stream (GET /healthz, client and server in one process:
  // 128–140 µs of CPU a request before, 75–88 after). A Response a route builds itself does not
  // carry them and gets them afterwards.
  const securityHeaders = (c: AppContext) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  };
  app.use('*', async (c, next) => {
    securityHeaders(c);
    // A NUL means nothing in a path or query, and PostgreSQL refuses it in any text it compares.
    if (c.req.url.includes('%00')) {
      return apiError(
        c,
        400,
        'invalid_request',
        'The address holds a NUL (%00); remove it.',
        'url',
      );
    }
    await next();
    if (!c.res.headers.has('X-Content-Type-Options')) securityHeaders(c);
  });

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return deps.isReady() ? c.json({ status: 'ok' }) : c.json({ status: 'starting' }, 503);
  });

  // CORS. The site is known only inside a route, so up front an origin counts as possibly allowed
  // when it is the server's own or in any site's allow-list, and gets Access-Control-Allow-Origin;
  // routes of a site then check its list (checkOrigin), which takes that back or grants it.
  app.use('/v1/*', async (c, next) => {
    const origin = c.req.header('origin');
    const possible =
      origin !== undefined && (origin === ownOrigin(c, deps) || deps.sites.anyAllows(origin));
    if (c.req.method === 'OPTIONS') {
      c.header('Vary', 'Origin');
      if (!possible) {
        return apiError(
          c,
          403,
          'origin_not_allowed',
          origin === undefined
            ? 'A preflight request needs an Origin header.'
            : `Origin ${origin.slice(0, 200)} is not allowed.`,
          'origin',
        );
      }
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      c.header(
        'Access-Control-Allow-Headers',
        'Content-Type, If-None-Match, Idempotency-Key, X-Lotse-User, X-Lotse-Signature, X-Lotse-Email',
      );
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    // Before the route, as above.
    const cors = () => {
      c.header('Vary', 'Origin', { append: true });
      if (possible) allowOrigin(c, origin);
    };
    cors();
    await next();
    if (!(c.res.headers.get('Vary') ?? '').includes('Origin')) cors();
  });

  // Client address (hashed at once) and the per-client rate limit, before any body is read.
  app.use('/v1/*', async (c, next) => {
    const incoming = c.env?.incoming;
    const forwarded = c.req.header('x-forwarded-for');
    const address = clientAddress(
      incoming?.socket.remoteAddress,
      forwarded,
      options.trustedProxies,
    );
    const now = deps.now();
    const hash = await deps.addresses.hash(address, now);
    c.set('clientHash', hash);
    const rule = options.rateLimit.client;
    if (rule !== false) {
      const taken = await deps.store.takeToken(`client:${hash}`, rule, now);
      if (!taken.allowed) return rateLimited(c, taken.retryAfterMs, 'client');
    }
    await next();
  });

  registerEventRoutes(app, deps);
  registerHandoffRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerWidgetRoutes(app, deps);
  registerDemoPage(app, options.demoDir);
  registerRatingRoutes(app, deps);
  // Before the agent pages: its notifications wrap the inbox's form posts.
  registerLiveRoutes(app, deps);
  registerAgentPages(app, deps);

  app.notFound((c) => apiError(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    // Conversation and invitation tokens travel in paths, and an error's message, stack or cause
    // may quote one (or a session cookie); all of it goes to the log as text, tokens blanked.
    options.logger.error(
      `${c.req.method} ${blankTokens(c.req.path)} failed`,
      blankTokens(inspect(error)),
    );
    return apiError(c, 500, 'internal_error', 'The server failed to handle this request.');
  });
  return app;
}
