// The two server-sent event streams and the notifications the inbox's form posts send to the hub.
import type { Conversation, ConversationMessage } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { requireAgent } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { authoriseConversation } from '../ingest/conversations-route.js';
import type { Logger } from '../options.js';
import type { LiveEntry, LiveHub } from './live-hub.js';

/** How long a browser waits before reconnecting a dropped stream (the SSE `retry` field). */
const RETRY_MS = 3000;

/** Refuses a request that does not ask for an event stream (a link followed, a crawler, a walk). */
function wantsEventStream(c: AppContext): Response | undefined {
  if ((c.req.header('accept') ?? '').includes('text/event-stream')) return undefined;
  return apiError(
    c,
    406,
    'not_acceptable',
    'This is a server-sent event stream: send Accept: text/event-stream.',
    'accept',
  );
}

/** The parts of one stream that {@link runStream} runs. */
interface StreamParts<T> {
  /** Subscribes: queues items with `push`; returns the unsubscribe. */
  setup: (push: (item: T) => void) => () => void;
  /** Writes `hello` and what it promises; runs after `setup`, before the first `step`. */
  start: () => Promise<void>;
  /** Writes one queued item; false ends the stream. */
  step: (item: T) => Promise<boolean>;
  /** Runs on each heartbeat before the ping; false ends the stream. */
  beat: () => Promise<boolean>;
}

/**
 * Runs a stream until the client leaves, `step` returns false or `beat` (on each of the hub's
 * heartbeats) returns false: `step` is awaited for each queued item in order. `start` runs after
 * `setup` has subscribed and before the first `step`, so that nothing that happens after the
 * client read `hello` can pass unseen between the two.
 */
function runStream<T>(
  hub: LiveHub,
  logger: Logger,
  stream: SSEStreamingApi,
  { setup, start, step, beat }: StreamParts<T>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const queue: T[] = [];
    let started = false;
    let stopped = false;
    let draining = false;
    const drain = async () => {
      if (draining || !started) return;
      draining = true;
      try {
        while (!stopped && queue.length > 0) {
          if (!(await step(queue.shift()!))) stop();
        }
      } finally {
        draining = false;
      }
    };
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(heartbeat);
      teardown();
      offEnd();
      resolve();
    };
    const push = (item: T) => {
      queue.push(item);
      drain().catch(stop);
    };
    const heartbeat = setInterval(() => {
      beat()
        .then(async (alive) => {
          if (!alive) return stop();
          await stream.write(': ping\n\n');
        })
        .catch(stop);
    }, hub.heartbeatMs);
    heartbeat.unref();
    const teardown = setup(push);
    const offEnd = hub.onEndStreams(stop);
    stream.onAbort(stop);
    start()
      .then(() => {
        started = true;
        return drain();
      })
      .catch((error: unknown) => {
        // The client reconnects after `retry`; a store that keeps failing shows here.
        logger.error('live: a stream could not start', error);
        stop();
      });
  });
}

/**
 * `GET /inbox/events` (agents), `GET /v1/conversations/:token/stream` (the visitor's open panel),
 * and the hub notifications of the inbox's conversation form posts.
 */
export function registerLiveRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const hub = deps.live;

  // Every successful form post on a conversation (reply, note, tags, close, reopen, assign and what
  // later features add) answers 303; agents' pages then refresh that conversation.
  app.use('/inbox/c/:id/*', async (c, next) => {
    await next();
    if (hub === undefined || c.req.method !== 'POST' || c.res.status !== 303) return;
    const handoffId = c.req.param('id') ?? '';
    const action = c.req.path.slice(c.req.path.lastIndexOf('/') + 1);
    hub.publish(
      action === 'reply'
        ? { kind: 'message', handoffId, from: 'agent' }
        : { kind: action === 'close' || action === 'reopen' ? 'status' : 'changed', handoffId },
    );
  });

  app.get('/inbox/events', requireAgent(deps), (c) => {
    const refused = wantsEventStream(c);
    if (refused !== undefined) return refused;
    if (hub === undefined) return apiError(c, 503, 'unavailable', 'Live updates are off.');
    const session = c.get('session')!;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      // A reconnecting EventSource sends Last-Event-ID; a page opens with ?after= (its render's).
      const lastId = c.req.header('last-event-id') ?? c.req.query('after');
      const missed = lastId === undefined ? [] : hub.since(lastId);
      const write = (entry: LiveEntry) =>
        stream.writeSSE({ event: 'change', id: entry.id, data: JSON.stringify(entry.change) });
      const end = () => stream.writeSSE({ event: 'end', data: '{"reason":"signed_out"}' });
      await runStream<LiveEntry | 'end'>(hub, deps.options.logger, stream, {
        setup: (push) => {
          for (const entry of missed ?? []) push(entry);
          const unsubscribe = hub.subscribe(push);
          const off = hub.onSessionEnd((idHash) => {
            if (idHash === session.idHash) push('end');
          });
          const expiry = setTimeout(() => push('end'), Math.max(0, session.expiresAt - deps.now()));
          expiry.unref();
          return () => {
            unsubscribe();
            off();
            clearTimeout(expiry);
          };
        },
        start: async () => {
          await stream.writeSSE({ event: 'hello', data: '{}', retry: RETRY_MS });
          // Unknown to this process (another instance, or too long ago): the page reloads its regions.
          if (missed === undefined) await stream.writeSSE({ event: 'reset', data: '{}' });
        },
        step: async (item) => {
          if (item === 'end') {
            await end();
            return false;
          }
          await write(item);
          return true;
        },
        beat: async () => {
          if ((await deps.store.getSession(session.idHash, deps.now())) !== undefined) return true;
          await end();
          return false;
        },
      });
    });
  });

  app.get('/v1/conversations/:token/stream', async (c) => {
    const auth = await authoriseConversation(c, deps);
    if (!auth.ok) return auth.response;
    c.header('Cache-Control', 'no-store');
    const refused = wantsEventStream(c);
    if (refused !== undefined) return refused;
    if (hub === undefined) return apiError(c, 503, 'unavailable', 'Live updates are off.');
    const handoffId = auth.handoff.id;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      // Messages only (the visitor's, the bot's and the agents' replies): notes live in another
      // table that this route never reads.
      const since = c.req.header('last-event-id') ?? c.req.query('after');
      const sent = new Set<string>();
      let status: Conversation['status'] = auth.handoff.status;
      const sendNew = async () => {
        const h = await deps.store.getHandoff(handoffId);
        if (h === undefined) return false;
        for (const m of await deps.store.listMessages(handoffId)) {
          if (sent.has(m.id)) continue;
          sent.add(m.id);
          const message: ConversationMessage = { id: m.id, from: m.from, text: m.text, ts: m.ts };
          await stream.writeSSE({ event: 'message', id: m.id, data: JSON.stringify(message) });
        }
        if (h.status !== status) {
          status = h.status;
          await stream.writeSSE({ event: 'status', data: JSON.stringify({ status }) });
        }
        return true;
      };
      await runStream<true>(hub, deps.options.logger, stream, {
        setup: (push) =>
          hub.subscribe((entry) => {
            if (entry.change.handoffId === handoffId && entry.change.kind !== 'sla') push(true);
          }),
        start: async () => {
          // Without a resume point the messages so far count as seen (the panel has loaded them);
          // after the request (the handoff's id, not a stored message) every stored one is new.
          // Read after subscribing, so that a message written meanwhile is sent once, not lost.
          const first = await deps.store.listMessages(handoffId);
          const at =
            since === undefined ? first.length : first.findIndex((m) => m.id === since) + 1;
          for (const m of first.slice(0, at)) sent.add(m.id);
          await stream.writeSSE({ event: 'hello', data: '{}', retry: RETRY_MS });
          // Deleted (privacy) since the token was checked: end now, not at the next heartbeat.
          if (!(await sendNew())) stream.abort();
        },
        step: () => sendNew(),
        // A conversation deleted (privacy) ends its stream.
        beat: async () => (await deps.store.getHandoff(handoffId)) !== undefined,
      });
    });
  });
}
