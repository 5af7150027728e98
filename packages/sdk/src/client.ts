import { type Consent, createDelivery, type DropInfo, type SentInfo } from './delivery/delivery.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './delivery/retry.js';
import { LotseError, ValidationError } from './errors.js';
import { MAX_QUESTION_LENGTH, maskPersonalData } from './mask.js';
import type { Platform } from './platform.js';
import type {
  Conversation,
  ConversationMessage,
  VisitorConversation,
  VisitorConversations,
} from './schema/conversation.js';
import type {
  ConversationEventType,
  EventPropsMap,
  EventType,
  LotseEvent,
} from './schema/events.js';
import type { HandoffReply, HandoffRequest } from './schema/handoff.js';
import { ID_PATTERN } from './schema/limits.js';
import { createTransport, type FetchLike, failureError } from './transport.js';

/** Result of an {@link EventValidator}; `validateEvent` from `@lotse/sdk/schema` returns it. */
export type EventValidation =
  | { ok: true }
  | { ok: false; code: string; field: string; message?: string };

/** Checks one event before it is queued (pass `validateEvent` from `@lotse/sdk/schema`). */
export type EventValidator = (event: unknown) => EventValidation;

// A relative dynamic import of the schema entry's validator: bundlers split it (and zod) into a chunk
// of its own that loads only for `validate: true`, so the default bundle stays small.
const loadValidateEvent = (): Promise<EventValidator> =>
  import('./schema/validate-event.js').then((m) => m.validateEvent);

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Origin (and optional path prefix) of the Lotse server, e.g. `https://help.example.com`. */
  endpoint: string;
  /** The site key the server knows this site by. */
  siteKey: string;
  /**
   * Whether events may be stored and sent; `pending` holds them in memory until `setConsent`.
   * @default 'granted'
   */
  consent?: Consent;
  /**
   * Validates each event before it is queued: `true` loads the schemas of `@lotse/sdk/schema` as a
   * separate chunk (events tracked meanwhile wait, up to `maxPending`); a function is used as is.
   * An invalid event is not queued and goes to `on('error')` as a `ValidationError` naming the field.
   * @default false (the server validates and rejected events arrive through `on('drop')`)
   */
  validate?: boolean | EventValidator;
  /**
   * The environment: `createBrowserPlatform()` from `@lotse/sdk/browser` (outbox, page hide,
   * sendBeacon, Do Not Track) or `createNodePlatform()` from `@lotse/sdk/node`.
   * @default {} (events in memory only)
   */
  platform?: Platform;
  /**
   * Treat Global Privacy Control and Do Not Track as `consent: 'denied'`.
   * @default false
   */
  respectDoNotTrack?: boolean;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: FetchLike;
  /** Visitor id across sessions (a random UUID). @default crypto.randomUUID() */
  anonymousId?: string;
  /** Session id (a random UUID). @default crypto.randomUUID() */
  sessionId?: string;
  /** Most events per request (the server's limit is 100). @default 100 */
  batchSize?: number;
  /** Most bytes per request body (the server's limit is 64 KB). @default 65536 */
  maxBatchBytes?: number;
  /** Milliseconds to wait for a fuller batch; 0 sends at once. @default 5000 */
  flushInterval?: number;
  /** Most unacknowledged events kept (memory and outbox); the oldest go first. @default 1000 */
  maxQueue?: number;
  /** Most events kept in memory while consent is pending. @default 100 */
  maxPending?: number;
  /** First retry delay before jitter, in ms. @default 1000 */
  retryBaseMs?: number;
  /** Longest retry delay before jitter, in ms. @default 60000 */
  retryMaxMs?: number;
  /** Longest wait a `Retry-After` header can ask for, in ms. @default 300000 */
  maxRetryAfterMs?: number;
  /** Attempts per event batch before it is dropped (`retries_exhausted`). @default Infinity */
  maxAttempts?: number;
  /** Attempts per handoff or conversation request. @default 4 */
  requestAttempts?: number;
  /** Milliseconds before a request counts as failed. @default 10000 */
  timeout?: number;
  /** Milliseconds `close()` waits for delivery. @default 5000 */
  closeTimeout?: number;
  /** Longest `query.unanswered` text after masking. @default 200 */
  maxQuestionLength?: number;
  /** The site's own redaction of `query.unanswered` text; the built-in masks run after it. */
  redact?: (text: string) => string;
  /** Random source for ids' jitter, for tests. @default Math.random */
  random?: () => number;
}

/** Options after defaults, as the client runs with them. */
export type ResolvedClientOptions = Required<Omit<ClientOptions, 'validate' | 'fetch' | 'redact'>> &
  Pick<ClientOptions, 'validate' | 'fetch' | 'redact'>;

/** Per-call options of `track`. */
export interface TrackOptions {
  /** The conversation this event belongs to. */
  conversationId?: string;
}

/** Who the visitor is, for a signed-in site; `signature` (an HMAC from the site's server) unlocks conversations. */
export interface IdentifyTraits {
  userId: string;
  signature?: string;
  /**
   * The visitor's e-mail address, when the site's server signs it with the user id
   * (`signature` = HMAC of `userId + "\n" + email`): their conversations by e-mail are listed too.
   */
  email?: string;
}

/** Input of `createHandoff`: the request without what the client fills in. */
export type HandoffInput = Omit<HandoffRequest, 'id' | 'siteKey' | 'anonymousId' | 'sessionId'> & {
  /** Idempotency key. @default crypto.randomUUID() */
  id?: string;
};

/** Events a client reports through `on`. */
export interface ClientEventMap {
  sent: SentInfo;
  drop: DropInfo;
  error: LotseError;
}

/** A Lotse client: tracks events, delivers them, and talks to the handoff API. */
export interface LotseClient {
  /**
   * Queues an event; never throws (problems go to `on('error')`). The server stores only the
   * public types (`PUBLIC_EVENT_TYPES` of `@lotse/sdk/schema`): it writes the server's own types
   * itself and takes CSAT/CES answers only through `rateConversation`; others come back as drops.
   */
  track<T extends EventType>(type: T, props: EventPropsMap[T], options?: TrackOptions): void;
  /**
   * Attaches a user id to later events and signs conversation requests; `null` signs the visitor
   * out (later events and requests go without a user).
   */
  identify(traits: IdentifyTraits | null): void;
  /** Changes consent: `denied` drops queued events and clears the outbox. */
  setConsent(consent: Consent): void;
  /** Resolves when every event queued before the call is acknowledged or dropped. */
  flush(): Promise<void>;
  /** Flushes (up to `closeTimeout`), then removes every timer and listener. */
  close(): Promise<void>;
  /** Subscribes to `sent`, `drop` or `error`; returns the unsubscribe function. */
  on<K extends keyof ClientEventMap>(
    event: K,
    listener: (payload: ClientEventMap[K]) => void,
  ): () => void;
  /**
   * `POST /v1/handoffs`; resolves with the ticket and conversation token. It tracks nothing: track
   * `handoff.created` when it resolves, so the handoff counts on the dashboard (README).
   */
  createHandoff(input: HandoffInput): Promise<HandoffReply>;
  /** `GET /v1/conversations/:token`. */
  getConversation(token: string): Promise<Conversation>;
  /** `POST /v1/conversations/:token/messages`; resolves with the stored message. */
  reply(token: string, text: string): Promise<ConversationMessage>;
  /** `POST /v1/conversations/:token/reopen`; resolves with the conversation. */
  reopen(token: string): Promise<Conversation>;
  /**
   * `POST /v1/conversations/:token/events`: the visitor's CSAT or CES answer for the conversation of
   * `token` — only its holder may rate it, so `track` cannot send these. Resolves once stored (at
   * once, sending nothing, while consent is not `granted`).
   *
   * @example
   * await client.rateConversation(token, 'csat.submitted', { score: 5, conversationId: ticketId });
   */
  rateConversation<T extends ConversationEventType>(
    token: string,
    type: T,
    props: EventPropsMap[T],
  ): Promise<void>;
  /**
   * Follows an open conversation live (`GET /v1/conversations/:token/stream`, server-sent events
   * with the browser's reconnects; polls `getConversation` where there is no EventSource or the
   * stream is refused): each message after `after` arrives once, the agent's replies among them.
   *
   * @example
   * const sub = client.subscribeConversation(token, { after: lastId, onMessage: show });
   * sub.close();
   */
  subscribeConversation(
    token: string,
    options: SubscribeConversationOptions,
  ): ConversationSubscription;
  /**
   * `GET /v1/sites/:site/conversations`: a signed-in visitor's conversations, newest first, each with
   * its token, from any device. Needs `identify` with a signature; rejects with status 401 otherwise.
   */
  listConversations(): Promise<VisitorConversation[]>;
  /** Visitor id attached to every event. */
  readonly anonymousId: string;
  /** Session id attached to every event. */
  readonly sessionId: string;
}

/** Options of {@link LotseClient.subscribeConversation}. */
export interface SubscribeConversationOptions {
  /** Each message that arrives, once per id. */
  onMessage(message: ConversationMessage): void;
  /** The conversation was closed or reopened. */
  onStatus?(status: Conversation['status']): void;
  /** Id of the newest message already shown; later ones arrive at once. @default only new ones */
  after?: string;
  /** Milliseconds between polls when there is no event stream. @default 15000 */
  pollInterval?: number;
}

/** A live subscription to a conversation. */
export interface ConversationSubscription {
  /** Stops the stream or the polling. */
  close(): void;
}

const CONSENTS: readonly string[] = ['granted', 'denied', 'pending'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A random UUID v4; `crypto.randomUUID` exists only in secure contexts, so fall back to getRandomValues. */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (
      Number(c) ^
      (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (Number(c) / 4)))
    ).toString(16),
  );

const DEFAULTS = {
  consent: 'granted',
  platform: {},
  respectDoNotTrack: false,
  batchSize: 100,
  maxBatchBytes: 65536,
  flushInterval: 5000,
  maxQueue: 1000,
  maxPending: 100,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  maxRetryAfterMs: 300_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  requestAttempts: 4,
  timeout: 10_000,
  closeTimeout: 5000,
  maxQuestionLength: MAX_QUESTION_LENGTH,
  random: Math.random,
} as const;

// [min, max] where not [0, Infinity]: the server takes at most 100 events and 64 KB per request.
const LIMITS: Partial<Record<keyof ClientOptions, [number, number]>> = {
  batchSize: [1, 100],
  maxBatchBytes: [1024, 65536],
  maxQueue: [1, Number.POSITIVE_INFINITY],
  maxAttempts: [1, Number.POSITIVE_INFINITY],
  requestAttempts: [1, Number.POSITIVE_INFINITY],
  timeout: [1, Number.POSITIVE_INFINITY],
  maxQuestionLength: [1, MAX_QUESTION_LENGTH],
};

const invalid = (option: string, fix: string, got: unknown): ValidationError =>
  new ValidationError(
    `[lotse] Invalid option "${option}": ${fix} (got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}).`,
    'invalid_option',
    option,
  );

/** Checks options and fills in defaults; throws a {@link ValidationError} naming the option and the fix. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const r = { ...DEFAULTS, anonymousId: uuid(), sessionId: uuid() } as ResolvedClientOptions;
  // An option set to undefined means "use the default".
  for (const [k, v] of Object.entries(options ?? {}))
    if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  const check = (ok: unknown, k: string, fix: string) => {
    if (!ok) throw invalid(k, fix, (r as unknown as Record<string, unknown>)[k]);
  };
  check(
    /^https?:\/\/[^/\s]+/.test(String(r.endpoint)),
    'endpoint',
    'use the http(s) origin of your Lotse server',
  );
  r.endpoint = r.endpoint.replace(/\/+$/, '');
  check(
    // Not String(): a missing key would pass as "undefined".
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(r.siteKey ?? ''),
    'siteKey',
    'use the site key from your Lotse server (letters, digits, - and _)',
  );
  check(CONSENTS.includes(r.consent), 'consent', "use 'granted', 'denied' or 'pending'");
  for (const k of ['anonymousId', 'sessionId'] as const)
    check(UUID.test(String(r[k])), k, 'use a random UUID');
  for (const [k, d] of Object.entries(DEFAULTS)) {
    const v = (r as unknown as Record<string, unknown>)[k];
    if (typeof d === 'number') {
      const [min, max] = LIMITS[k as keyof ClientOptions] ?? [0, Number.POSITIVE_INFINITY];
      check(typeof v === 'number' && v >= min && v <= max, k, `use a number from ${min} to ${max}`);
    } else check(typeof v === typeof d && v !== null, k, `pass a ${typeof d}`);
  }
  for (const k of ['fetch', 'redact'] as const)
    check(r[k] === undefined || typeof r[k] === 'function', k, 'pass a function');
  check(
    ['undefined', 'boolean', 'function'].includes(typeof r.validate),
    'validate',
    'pass true, false or a function such as validateEvent',
  );
  return r;
}

/**
 * Creates a client that tracks events and delivers them without losing any.
 * @example
 * const lotse = createClient({ endpoint: 'https://help.example.com', siteKey: 'demo' });
 * lotse.track('widget.opened', { channel: 'widget' });
 */
export function createClient(options: ClientOptions): LotseClient {
  const o = resolveClientOptions(options);
  const { endpoint, siteKey, platform, timeout } = o;
  const send = createTransport(timeout, o.fetch);
  const listeners = new Map<keyof ClientEventMap, Set<(p: never) => void>>();
  const timers = new Set<() => void>();
  const wakers = new Set<() => void>();
  const requests = new AbortController();
  let consent = o.consent;
  let identity: IdentifyTraits | undefined;
  let closing: Promise<void> | undefined;

  const emit = <K extends keyof ClientEventMap>(k: K, payload: ClientEventMap[K]) => {
    for (const l of (listeners.get(k) ?? []) as Set<(p: ClientEventMap[K]) => void>) {
      try {
        l(payload);
      } catch (cause) {
        // A host listener that throws must not break delivery.
        if (k !== 'error')
          emit(
            'error',
            new LotseError(`[lotse] An on('${k}') listener threw.`, 'listener_failed', { cause }),
          );
      }
    }
  };

  const later = (ms: number, fn: () => void) => {
    const id = setTimeout(() => {
      timers.delete(stop);
      fn();
    }, ms);
    const stop = () => {
      clearTimeout(id);
      timers.delete(stop);
    };
    timers.add(stop);
    return stop;
  };

  const dnt = () => o.respectDoNotTrack && !!platform.doNotTrack?.();

  const delivery = createDelivery(
    {
      ...o,
      url: `${endpoint}/v1/events`,
      send,
      outbox: platform.createOutbox?.(siteKey),
      beacon: platform.beacon?.bind(platform),
      later,
      sent: (info) => emit('sent', info),
      drop: (info) => emit('drop', info),
      error: (error) => emit('error', error),
    },
    dnt() ? 'denied' : consent,
  );
  const removePageHide = platform.onPageHide?.(() => delivery.pageHide());

  let validator = typeof o.validate === 'function' ? o.validate : undefined;
  // Events tracked while the schemas load (`validate: true`); `undefined` once that wait is over.
  let held: LotseEvent[] | undefined;
  let endWait = () => {};
  const schemas = new Promise<void>((done) => {
    endWait = done;
  });

  const guard = (type: string, fn: () => void) => {
    try {
      fn();
    } catch (cause) {
      emit('error', new LotseError(`[lotse] Could not track ${type}.`, 'track_failed', { cause }));
    }
  };

  const admit = (event: LotseEvent) => {
    const v = validator?.(event);
    if (!v || v.ok) return delivery.add(event);
    emit(
      'error',
      new ValidationError(
        `[lotse] Invalid ${event.type} event, not sent: ${v.message ?? `${v.field} is invalid`}.`,
        v.code,
        v.field,
      ),
    );
  };

  /** Ends the wait for the schemas: held events are checked (when the validator came) and queued. */
  const release = (validate?: EventValidator) => {
    const waiting = held;
    if (!waiting) return;
    held = undefined;
    validator = validate;
    for (const event of waiting) guard(event.type, () => admit(event));
    endWait();
  };

  if (o.validate === true) {
    held = [];
    // Bounded: a chunk that fails or hangs must not hold events forever; they then go out
    // unchecked, as without `validate`, and the server validates them.
    const unavailable = (cause: unknown) => {
      if (held)
        emit(
          'error',
          new LotseError(
            '[lotse] Could not load the event schemas; sending events unchecked.',
            'schema_unavailable',
            { cause },
          ),
        );
      release();
    };
    const stop = later(timeout, () => unavailable(new Error(`timeout ${timeout} ms`)));
    loadValidateEvent().then((validate) => {
      stop();
      release(validate);
    }, unavailable);
  }

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const wake = () => {
        stop();
        wakers.delete(wake);
        done();
      };
      const stop = later(ms, wake);
      wakers.add(wake);
    });

  const request = async <T>(
    what: string,
    method: 'get' | 'post',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const url = endpoint + path;
    if (identity) {
      headers['x-lotse-user'] = identity.userId;
      if (identity.signature) headers['x-lotse-signature'] = identity.signature;
      if (identity.email) headers['x-lotse-email'] = identity.email;
    }
    for (let attempt = 1; ; attempt++) {
      if (closing)
        throw new LotseError(`[lotse] Cannot ${what} ${url}: the client is closed.`, 'closed');
      const r = await send(method, url, body, requests.signal, headers);
      if (r.status >= 200 && r.status < 300) return r.body as T;
      if (closing) continue;
      if (!(r.failure || isRetryableStatus(r.status)) || attempt >= o.requestAttempts) {
        throw failureError(what, url, r, timeout);
      }
      await sleep(
        parseRetryAfter(r.retryAfter, Date.now(), o.maxRetryAfterMs) ??
          backoffDelay(attempt - 1, o.retryBaseMs, o.retryMaxMs, o.random),
      );
    }
  };

  /** A new event in this client's envelope (id, time, site, session, visitor, user once known). */
  const eventOf = (type: EventType, props: object, conversationId: string | undefined) =>
    ({
      id: uuid(),
      type,
      ts: Date.now(),
      siteKey,
      sessionId: o.sessionId,
      anonymousId: o.anonymousId,
      ...(conversationId !== undefined && { conversationId }),
      ...(identity && { userId: identity.userId }),
      props,
    }) as LotseEvent;

  const conversationPath = (token: string) => `/v1/conversations/${encodeURIComponent(token)}`;

  return {
    anonymousId: o.anonymousId,
    sessionId: o.sessionId,
    track(type, props, options) {
      guard(String(type), () => {
        let p: Record<string, unknown> = { ...props };
        if (type === 'query.unanswered') {
          p = {
            ...p,
            text: maskPersonalData(String(p.text ?? ''), {
              maxLength: o.maxQuestionLength,
              ...(o.redact && { redact: o.redact }),
            }),
          };
        }
        const event = eventOf(type, p, options?.conversationId);
        if (!held) return admit(event);
        // Bounded like events waiting for consent: the oldest go first.
        held.push(event);
        if (held.length > o.maxPending)
          emit('drop', {
            events: held.splice(0, held.length - o.maxPending),
            reason: 'pending_overflow',
          });
      });
    },
    identify(traits) {
      // An opaque id only: the server rejects every event whose userId looks like free text or an
      // e-mail address, so such an id is refused here and the events go on without one. Not with
      // the earlier one: after a sign-out and another sign-in that would be someone else's.
      const id = traits?.userId;
      const valid = typeof id === 'string' && ID_PATTERN.test(id);
      // Only the value's type is named: it may be an address, and errors get logged. No traits is a
      // sign-out, no mistake.
      if (!valid && traits)
        emit('error', invalid('userId', 'use an opaque id, not an e-mail address', typeof id));
      identity = valid ? { ...(traits as IdentifyTraits) } : undefined;
    },
    setConsent(next) {
      if (!CONSENTS.includes(next)) {
        emit('error', invalid('consent', "use 'granted', 'denied' or 'pending'", next));
        return;
      }
      consent = next;
      delivery.setConsent(dnt() ? 'denied' : consent);
    },
    async flush() {
      // Events waiting for the schemas were queued before this call: wait for them too.
      if (held) await schemas;
      return delivery.flush();
    },
    close() {
      closing ??= (async () => {
        if (held) {
          // Up to closeTimeout for the schemas; what still waits then is queued unchecked.
          let stop = () => {};
          await Promise.race([
            schemas,
            new Promise<void>((done) => (stop = later(o.closeTimeout, done))),
          ]);
          stop();
          release();
        }
        await delivery.close(o.closeTimeout);
        requests.abort();
        for (const wake of [...wakers]) wake();
        removePageHide?.();
        for (const stop of [...timers]) stop();
        listeners.clear();
      })();
      return closing;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(listener));
      return () => {
        set.delete(listener);
      };
    },
    createHandoff(input) {
      const id = input.id ?? uuid();
      const body: HandoffRequest = {
        ...input,
        id,
        siteKey,
        anonymousId: o.anonymousId,
        sessionId: o.sessionId,
      };
      return request('create handoff at', 'post', '/v1/handoffs', body, { 'idempotency-key': id });
    },
    getConversation: (token) => request('load conversation from', 'get', conversationPath(token)),
    reply(token, text) {
      const id = uuid();
      return request(
        'send reply to',
        'post',
        `${conversationPath(token)}/messages`,
        { id, text },
        { 'idempotency-key': id },
      );
    },
    reopen(token) {
      const id = uuid();
      return request(
        'reopen conversation at',
        'post',
        `${conversationPath(token)}/reopen`,
        { id },
        { 'idempotency-key': id },
      );
    },
    async rateConversation(token, type, props) {
      if (dnt() || consent !== 'granted') return;
      const event = eventOf(type, props, props.conversationId);
      const reply = await request<{ rejected?: { code: string; field?: string }[] }>(
        'send rating to',
        'post',
        `${conversationPath(token)}/events`,
        { events: [event] },
      );
      const refused = reply.rejected?.[0];
      if (refused) {
        throw new ValidationError(
          `[lotse] The server refused the ${type} rating: ${refused.code} (${refused.field ?? 'event'}).`,
          refused.code,
          refused.field ?? '',
        );
      }
    },
    subscribeConversation(token, { onMessage, onStatus, after, pollInterval = 15_000 }) {
      const seen = new Set<string>();
      let status: string | undefined;
      let stopped = false;
      let stopTimer = () => {};
      const take = (m: ConversationMessage) => {
        if (stopped || seen.has(m.id)) return;
        seen.add(m.id);
        onMessage(m);
      };
      const setStatus = (s: Conversation['status']) => {
        if (status !== undefined && s !== status && !stopped) onStatus?.(s);
        status = s;
      };
      const poll = async (first: boolean) => {
        try {
          const c = await request<Conversation>(
            'load conversation from',
            'get',
            conversationPath(token),
          );
          const at = c.messages.findIndex((m) => m.id === after) + 1;
          // The first poll sets the baseline: what came before `after` (or everything) is shown.
          const known = first ? (after ? at : c.messages.length) : 0;
          for (const [i, m] of c.messages.entries()) {
            if (i < known) seen.add(m.id);
            else take(m);
          }
          setStatus(c.status);
        } catch {
          // Offline or refused: the next poll tries again.
        }
        if (!stopped) stopTimer = later(pollInterval, () => void poll(false));
      };
      const url = `${endpoint}${conversationPath(token)}/stream${after ? `?after=${encodeURIComponent(after)}` : ''}`;
      const source = platform.openEventStream?.(url);
      const parse = (data: unknown) => {
        try {
          return JSON.parse(String(data)) as Record<string, unknown>;
        } catch {
          return {};
        }
      };
      if (source) {
        source.addEventListener('message', (e) => {
          const m = parse(e.data);
          if (typeof m.id === 'string' && typeof m.text === 'string') {
            take(m as unknown as ConversationMessage);
          }
        });
        source.addEventListener('status', (e) => {
          const s = parse(e.data).status;
          if (s === 'open' || s === 'closed') setStatus(s);
        });
        // The browser retries a dropped stream itself (with Last-Event-ID); a refused one stays
        // closed, and then polling takes over.
        source.addEventListener('error', () => {
          if (source.readyState === 2 && !stopped) void poll(true);
        });
      } else void poll(true);
      return {
        close() {
          stopped = true;
          source?.close();
          stopTimer();
        },
      };
    },
    async listConversations() {
      const reply = await request<VisitorConversations>(
        'list conversations from',
        'get',
        `/v1/sites/${encodeURIComponent(siteKey)}/conversations`,
      );
      return reply.conversations;
    },
  };
}
