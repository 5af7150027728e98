import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, type IdentifyTraits } from './client.js';
import {
  isHttpError,
  isLotseError,
  isNetworkError,
  isValidationError,
  type LotseError,
  ValidationError,
} from './errors.js';
import { validateEvent } from './schema/validate-event.js';
import { record } from './test/helpers.js';

const API = 'https://lotse.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Body = { events: { id: string; type: string; props: Record<string, unknown> }[] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Answers POST /v1/events with the given statuses in turn (then 202), recording every body. */
function collector(...statuses: (number | 'network' | ((b: Body) => Response))[]) {
  const bodies: Body[] = [];
  const requests: Request[] = [];
  server.use(
    http.post(`${API}/v1/events`, async ({ request }) => {
      requests.push(request.clone());
      const body = (await request.json()) as Body;
      bodies.push(body);
      const next = statuses.shift() ?? 202;
      if (next === 'network') return HttpResponse.error();
      if (typeof next === 'function') return next(body);
      if (next === 202) {
        return HttpResponse.json(
          { accepted: body.events.length, duplicates: 0, rejected: [] },
          { status: 202 },
        );
      }
      return HttpResponse.json(
        { error: { code: `code_${next}`, message: `status ${next}` } },
        { status: next, statusText: `Status ${next}` },
      );
    }),
  );
  return { bodies, requests };
}

const options = (extra: Partial<ClientOptions> = {}): ClientOptions => ({
  endpoint: API,
  siteKey: 'demo',
  flushInterval: 0,
  retryBaseMs: 1,
  retryMaxMs: 2,
  ...extra,
});

describe('createClient options', () => {
  it.each([
    [{ siteKey: 'demo' }, 'endpoint'],
    [{ endpoint: 'help.example.com', siteKey: 'demo' }, 'endpoint'],
    [{ endpoint: API, siteKey: 'has spaces' }, 'siteKey'],
    [{ endpoint: API }, 'siteKey'],
    [{ endpoint: API, siteKey: 'demo', consent: 'yes' }, 'consent'],
    [{ endpoint: API, siteKey: 'demo', batchSize: 101 }, 'batchSize'],
    [{ endpoint: API, siteKey: 'demo', maxBatchBytes: 100_000 }, 'maxBatchBytes'],
    [{ endpoint: API, siteKey: 'demo', flushInterval: -1 }, 'flushInterval'],
    [{ endpoint: API, siteKey: 'demo', anonymousId: 'visitor-1' }, 'anonymousId'],
    [{ endpoint: API, siteKey: 'demo', fetch: 'fetch' }, 'fetch'],
    [{ endpoint: API, siteKey: 'demo', platform: null }, 'platform'],
    [{ endpoint: API, siteKey: 'demo', validate: 'yes' }, 'validate'],
  ])('throws a ValidationError naming the option for %j', (bad, option) => {
    const attempt = () => createClient(bad as unknown as ClientOptions);
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (e) {
      expect(isValidationError(e) && e.field).toBe(option);
      expect((e as Error).message).toMatch(new RegExp(`^\\[lotse\\] Invalid option "${option}": `));
    }
  });

  it('treats an option set to undefined as its default', () => {
    const given = { endpoint: API, siteKey: 'demo', batchSize: undefined };
    expect(() => createClient(given as unknown as ClientOptions)).not.toThrow();
  });
});

describe('track', () => {
  it('posts batches of JSON events with the full envelope', async () => {
    const { bodies, requests } = collector();
    const client = createClient(options());
    client.track('widget.opened', { channel: 'widget' });
    client.track('csat.submitted', { score: 5, conversationId: 'c-1' }, { conversationId: 'c-1' });
    await client.flush();
    expect(requests[0]!.headers.get('content-type')).toMatch(/^application\/json/);
    const events = bodies.flatMap((b) => b.events);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({
        siteKey: 'demo',
        sessionId: client.sessionId,
        anonymousId: client.anonymousId,
      });
      expect(e.id).toMatch(UUID);
      expect(validateEvent(e).ok).toBe(true);
    }
    expect(events[1]).toMatchObject({ conversationId: 'c-1', props: { score: 5 } });
    await client.close();
  });

  it('refuses a userId the server would reject, and sends on without any, not the one before', async () => {
    const { bodies } = collector();
    const client = createClient(options());
    const errors: LotseError[] = [];
    client.on('error', (e) => errors.push(e));
    client.identify({ userId: 'u-1' });
    client.track('widget.opened', { channel: 'widget' });
    for (const userId of ['kunde@beispiel.de', 'has space', '', 'x'.repeat(129), 42]) {
      client.identify({ userId } as unknown as IdentifyTraits);
    }
    client.track('widget.opened', { channel: 'widget' });
    await client.flush();
    expect(errors.map((e) => [e.name, e.code, (e as ValidationError).field])).toEqual(
      Array(5).fill(['ValidationError', 'invalid_option', 'userId']),
    );
    expect(errors[0]!.message).not.toContain('kunde@beispiel.de');
    // The earlier id is gone (it may be someone else's); every event reaches the server.
    const events = bodies.flatMap((b) => b.events);
    expect(events.map((e) => (e as { userId?: string }).userId)).toEqual(['u-1', undefined]);
    for (const e of events) expect(validateEvent(e).ok).toBe(true);
    await client.close();
  });

  it('masks and truncates the question text of query.unanswered', async () => {
    const { bodies } = collector();
    const client = createClient(
      options({ redact: (t) => t.replace(/Auftrag \d+/, 'Auftrag [id]') }),
    );
    client.track('query.unanswered', {
      text: `Auftrag 4711: Rückruf unter +49 171 1234567 oder a@b.de ${'x'.repeat(300)}`,
    });
    await client.flush();
    const text = bodies[0]!.events[0]!.props.text as string;
    expect(text.startsWith('Auftrag [id]: Rückruf unter [phone] oder [email] ')).toBe(true);
    expect(text).toHaveLength(200);
    await client.close();
  });

  it('never throws into host code, even for unserialisable props', async () => {
    collector();
    const client = createClient(options());
    const { errors, drops } = record(client);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => client.track('widget.opened', circular as never)).not.toThrow();
    expect(() => client.track('widget.opened', null as never)).not.toThrow();
    expect(errors.map((e) => e.code)).toContain('track_failed');
    expect(drops).toEqual([]);
    await client.close();
  });

  it('with validate, reports an invalid event by field and does not send it', async () => {
    const { bodies } = collector();
    const client = createClient(options({ validate: validateEvent }));
    const { errors } = record(client);
    client.track('nps.submitted', { score: 11 });
    client.track('nps.submitted', { score: 10 });
    await client.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      name: 'ValidationError',
      code: 'out_of_range',
      field: 'props.score',
    });
    expect(bodies.flatMap((b) => b.events.map((e) => e.props.score))).toEqual([10]);
    await client.close();
  });

  it('with validate: true, loads the schemas, then reports an invalid event by field and sends the valid ones', async () => {
    const { bodies } = collector();
    const client = createClient(options({ validate: true }));
    const { errors, drops } = record(client);
    // Tracked before the schema chunk has loaded: these wait and are checked once it is in.
    client.track('nps.submitted', { score: 11 });
    client.track('nps.submitted', { score: 9 });
    client.track('csat.submitted', { score: 4 } as never);
    expect(errors).toEqual([]);
    await client.flush();
    client.track('answer.rated', { entryId: 'returns-1', helpful: 'yes' } as never);
    client.track('nps.submitted', { score: 10 });
    await client.flush();
    expect(errors.map((e) => [e.name, e.code, isValidationError(e) && e.field])).toEqual([
      ['ValidationError', 'out_of_range', 'props.score'],
      ['ValidationError', 'missing_field', 'props.conversationId'],
      ['ValidationError', 'invalid_field', 'props.helpful'],
    ]);
    expect(errors[0]!.message).toMatch(/^\[lotse\] Invalid nps\.submitted event, not sent: /);
    expect(drops).toEqual([]);
    expect(bodies.flatMap((b) => b.events.map((e) => e.props.score))).toEqual([9, 10]);
    await client.close();
  });

  it('with validate: true, holds at most maxPending events while the schemas load', async () => {
    const { bodies } = collector();
    const client = createClient(options({ validate: true, maxPending: 2 }));
    const { drops } = record(client);
    for (let score = 0; score < 5; score++) client.track('nps.submitted', { score });
    expect(drops.map((d) => [d.reason, d.events.map((e) => e.props)])).toEqual([
      ['pending_overflow', [{ score: 0 }]],
      ['pending_overflow', [{ score: 1 }]],
      ['pending_overflow', [{ score: 2 }]],
    ]);
    await client.flush();
    expect(bodies.flatMap((b) => b.events.map((e) => e.props.score))).toEqual([3, 4]);
    await client.close();
  });

  it('with validate: true, close() delivers events still waiting for the schemas', async () => {
    const { bodies } = collector();
    const client = createClient(options({ validate: true, flushInterval: 60_000 }));
    client.track('nps.submitted', { score: 7 });
    client.track('nps.submitted', { score: 70 });
    await client.close();
    expect(bodies.flatMap((b) => b.events.map((e) => e.props.score))).toEqual([7]);
  });

  it('splits into requests of at most 100 events and 64 KB', async () => {
    const { bodies, requests } = collector();
    const client = createClient(options({ flushInterval: 50 }));
    for (let i = 0; i < 250; i++) client.track('query.submitted', { length: i });
    // About 1.2 KB each: 64 KB holds about 50 of these.
    for (let i = 0; i < 120; i++)
      client.track('query.submitted', {
        locale: `de-${'x'.repeat(8)}`,
        length: i,
        ...{ pad: 'p'.repeat(1000) },
      } as never);
    await client.flush();
    expect(bodies.flatMap((b) => b.events)).toHaveLength(370);
    expect(Math.max(...bodies.map((b) => b.events.length))).toBe(100);
    for (const r of requests) expect((await r.arrayBuffer()).byteLength).toBeLessThanOrEqual(65536);
    expect(bodies.some((b) => b.events.length < 100 && b.events.length > 40)).toBe(true);
    await client.close();
  });

  it('drops a single event larger than 64 KB as too_large', async () => {
    collector();
    const client = createClient(options());
    const { drops } = record(client);
    client.track('query.submitted', { pad: 'p'.repeat(70_000) } as never);
    await client.flush();
    expect(drops.map((d) => d.reason)).toEqual(['too_large']);
    await client.close();
  });
});

describe('status codes of POST /v1/events', () => {
  it.each([200, 202, 204])('%i acknowledges the batch', async (status) => {
    collector(
      status === 202 ? 202 : () => new HttpResponse(status === 204 ? null : '{}', { status }),
    );
    const client = createClient(options());
    const r = record(client);
    client.track('nps.submitted', { score: 9 });
    await client.flush();
    expect(r.sentIds()).toHaveLength(1);
    expect(r.drops).toEqual([]);
    await client.close();
  });

  it.each([400, 401, 403, 404, 409, 422])(
    '%i drops the batch as request_rejected with the server code',
    async (status) => {
      const { bodies } = collector(status);
      const client = createClient(options());
      const r = record(client);
      client.track('nps.submitted', { score: 9 });
      await client.flush();
      expect(bodies).toHaveLength(1);
      expect(r.drops).toMatchObject([
        { reason: 'request_rejected', status, code: `code_${status}` },
      ]);
      expect(r.errors[0]).toMatchObject({ name: 'HttpError', status, code: `code_${status}` });
      expect(r.errors[0]!.message).toBe(
        `[lotse] Failed to send 1 event to ${API}/v1/events: ${status} Status ${status} (status ${status}).`,
      );
      await client.close();
    },
  );

  it.each([408, 429, 500, 502, 503, 504, 'network'] as const)(
    '%s is retried until it succeeds',
    async (status) => {
      const { bodies } = collector(status, status);
      const client = createClient(options());
      const r = record(client);
      client.track('nps.submitted', { score: 9 });
      await client.flush();
      expect(bodies).toHaveLength(3);
      expect(new Set(bodies.map((b) => b.events[0]!.id)).size).toBe(1);
      expect(r.sentIds()).toHaveLength(1);
      expect(r.errors).toHaveLength(2);
      expect(
        r.errors.every((e) => (status === 'network' ? isNetworkError(e) : isHttpError(e))),
      ).toBe(true);
      expect(r.errors[0]!.message).toMatch(
        /^\[lotse\] Failed to send 1 event to https:\/\/lotse\.test\/v1\/events: .+\. Retrying in \d+(\.\d)? s\.$/,
      );
      await client.close();
    },
  );

  it('413 splits the batch in halves until it fits', async () => {
    const { bodies } = collector(413);
    const client = createClient(options({ flushInterval: 10 }));
    const r = record(client);
    for (let i = 0; i < 4; i++) client.track('nps.submitted', { score: i });
    await client.flush();
    expect(bodies.map((b) => b.events.length)).toEqual([4, 2, 2]);
    expect(r.sentIds()).toHaveLength(4);
    await client.close();
  });

  it('413 for a single event drops it as too_large', async () => {
    collector(413);
    const client = createClient(options());
    const r = record(client);
    client.track('nps.submitted', { score: 1 });
    await client.flush();
    expect(r.drops).toMatchObject([{ reason: 'too_large', status: 413 }]);
    await client.close();
  });

  it('drops events the server rejects one by one, with code and field, and keeps the rest', async () => {
    collector(() =>
      HttpResponse.json(
        {
          accepted: 2,
          duplicates: 0,
          rejected: [{ index: 1, code: 'out_of_range', field: 'props.score' }],
        },
        { status: 202 },
      ),
    );
    const client = createClient(options({ flushInterval: 10 }));
    const r = record(client);
    for (const score of [1, 99, 3]) client.track('nps.submitted', { score });
    await client.flush();
    expect(r.drops).toMatchObject([
      { reason: 'rejected', code: 'out_of_range', field: 'props.score' },
    ]);
    expect(r.drops[0]!.events[0]!.props).toEqual({ score: 99 });
    expect(
      r.sent.flatMap((s) => s.events.map((e) => (e.props as { score: number }).score)),
    ).toEqual([1, 3]);
    await client.close();
  });

  it('gives up after maxAttempts with retries_exhausted', async () => {
    collector(503, 503, 503);
    const client = createClient(options({ maxAttempts: 2 }));
    const r = record(client);
    client.track('nps.submitted', { score: 1 });
    await client.flush();
    expect(r.drops).toMatchObject([{ reason: 'retries_exhausted' }]);
    await client.close();
  });
});

describe('handoff and conversation requests', () => {
  const reply = {
    ticketId: 'T-1',
    conversationToken: 't'.repeat(32),
    respondWithinMinutes: 240,
    respondBy: '2026-11-25T14:00:00.000Z',
  };
  const input = {
    email: 'kunde@beispiel.de',
    consent: true as const,
    message: 'Paket fehlt',
    transcript: [{ from: 'visitor' as const, text: 'Wo ist mein Paket?', ts: 1 }],
    classification: {
      level: 2 as const,
      topic: 'shipping',
      signals: [],
      confidence: 0.4,
      reasons: [],
    },
  };

  it('creates a handoff with an idempotency key that survives retries', async () => {
    const seen: { body: Record<string, unknown>; key: string | null }[] = [];
    let calls = 0;
    server.use(
      http.post(`${API}/v1/handoffs`, async ({ request }) => {
        seen.push({
          body: (await request.json()) as Record<string, unknown>,
          key: request.headers.get('idempotency-key'),
        });
        return ++calls === 1
          ? new HttpResponse(null, { status: 503 })
          : HttpResponse.json(reply, { status: 201 });
      }),
    );
    const client = createClient(options());
    await expect(client.createHandoff(input)).resolves.toEqual(reply);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.body).toMatchObject({
      ...input,
      siteKey: 'demo',
      anonymousId: client.anonymousId,
      sessionId: client.sessionId,
    });
    expect(seen[0]!.body.id).toMatch(UUID);
    expect(seen[1]!.body.id).toBe(seen[0]!.body.id);
    expect(seen[0]!.key).toBe(seen[0]!.body.id);
    await client.close();
  });

  it('signs the visitor out with identify(null): no error, no user on later requests and events', async () => {
    const users: (string | null)[] = [];
    server.use(
      http.get(`${API}/v1/conversations/:token`, ({ request }) => {
        users.push(request.headers.get('x-lotse-user'));
        return HttpResponse.json({ ticketId: 'T-1', status: 'open', messages: [] });
      }),
    );
    const events = collector();
    const client = createClient(options());
    const { errors } = record(client);
    client.identify({ userId: 'u-1', signature: 'sig' });
    await client.getConversation('tok');
    client.identify(null);
    await client.getConversation('tok');
    client.track('widget.opened', { channel: 'widget' });
    await client.flush();
    expect(users).toEqual(['u-1', null]);
    expect(events.bodies[0]?.events[0]).not.toHaveProperty('userId');
    expect(errors).toEqual([]);
    await client.close();
  });

  it('loads, answers and reopens a conversation by token', async () => {
    const conversation = { ticketId: 'T-1', status: 'open', messages: [] };
    const calls: string[] = [];
    server.use(
      http.get(`${API}/v1/conversations/:token`, ({ params }) => {
        calls.push(`get ${params.token}`);
        return HttpResponse.json(conversation);
      }),
      http.post(`${API}/v1/conversations/:token/messages`, async ({ params, request }) => {
        const body = (await request.json()) as { id: string; text: string };
        calls.push(`reply ${params.token} ${body.text}`);
        return HttpResponse.json(
          { id: body.id, from: 'visitor', text: body.text, ts: 5 },
          { status: 201 },
        );
      }),
      http.post(`${API}/v1/conversations/:token/reopen`, async ({ params, request }) => {
        const body = (await request.json()) as { id: string };
        calls.push(`reopen ${params.token} ${UUID.test(body.id)}`);
        return HttpResponse.json(conversation);
      }),
    );
    const client = createClient(options());
    client.identify({ userId: 'u-1', signature: 'sig' });
    await expect(client.getConversation('a/b')).resolves.toEqual(conversation);
    await expect(client.reply('tok', 'Danke!')).resolves.toMatchObject({
      from: 'visitor',
      text: 'Danke!',
    });
    await expect(client.reopen('tok')).resolves.toEqual(conversation);
    expect(calls).toEqual(['get a/b', 'reply tok Danke!', 'reopen tok true']);
    await client.close();
  });

  it('lists a signed-in visitor’s conversations with the identify headers', async () => {
    const listed = [
      { ticketId: 'T-1', status: 'closed', messages: [], conversationToken: 'tok', createdAt: 1 },
    ];
    const seen: (string | null)[][] = [];
    server.use(
      http.get(`${API}/v1/sites/:site/conversations`, ({ params, request }) => {
        seen.push([
          String(params.site),
          request.headers.get('x-lotse-user'),
          request.headers.get('x-lotse-signature'),
          request.headers.get('x-lotse-email'),
        ]);
        return request.headers.get('x-lotse-signature')?.startsWith('sig')
          ? HttpResponse.json({ conversations: listed })
          : HttpResponse.json(
              { error: { code: 'identity_required', message: 'Sign in', field: 'x-lotse-user' } },
              { status: 401, statusText: 'Unauthorized' },
            );
      }),
    );
    const client = createClient(options());
    const anonymous = await client.listConversations().catch((e: unknown) => e);
    expect(isHttpError(anonymous) && [anonymous.status, anonymous.code]).toEqual([
      401,
      'identity_required',
    ]);
    client.identify({ userId: 'u-1', signature: 'sig' });
    await expect(client.listConversations()).resolves.toEqual(listed);
    // With a signed address, its mail conversations too (the server checks what the HMAC covers).
    client.identify({ userId: 'u-1', signature: 'sig-mail', email: 'eva@example.com' });
    await expect(client.listConversations()).resolves.toEqual(listed);
    expect(seen).toEqual([
      ['demo', null, null, null],
      ['demo', 'u-1', 'sig', null],
      ['demo', 'u-1', 'sig-mail', 'eva@example.com'],
    ]);
    await client.close();
  });

  it('rejects with a typed HttpError naming the server code', async () => {
    server.use(
      http.get(`${API}/v1/conversations/:token`, () =>
        HttpResponse.json(
          { error: { code: 'not_found', message: 'Unknown conversation' } },
          { status: 404, statusText: 'Not Found' },
        ),
      ),
    );
    const client = createClient(options());
    const error = await client.getConversation('nope').catch((e: unknown) => e);
    expect(isHttpError(error) && [error.status, error.code]).toEqual([404, 'not_found']);
    expect((error as Error).message).toBe(
      `[lotse] Failed to load conversation from ${API}/v1/conversations/nope: 404 Not Found (Unknown conversation).`,
    );
    await client.close();
  });

  it('rejects with a NetworkError after the last attempt', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/v1/conversations/:token/reopen`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const client = createClient(options({ requestAttempts: 3 }));
    const error = await client.reopen('tok').catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(isLotseError(error)).toBe(true);
    expect(calls).toBe(3);
    await client.close();
  });
});

describe('rateConversation', () => {
  const TOKEN = 'pnF1GsXwq8wnqRdiKGmtpLnREpuFrYDQM20LXjUKIb8';

  /**
   * Answers POST /v1/conversations/:token/events with the given statuses in turn, then as the
   * server does: 202 with each event checked by the shared schema, recording every request.
   */
  function ratings(...statuses: number[]) {
    const seen: { token: string; body: Body; headers: Headers }[] = [];
    server.use(
      http.post(`${API}/v1/conversations/:token/events`, async ({ params, request }) => {
        const body = (await request.json()) as Body;
        seen.push({ token: String(params.token), body, headers: request.headers });
        const status = statuses.shift();
        if (status !== undefined) {
          return HttpResponse.json(
            { error: { code: `code_${status}`, message: `status ${status}` } },
            { status, statusText: `Status ${status}` },
          );
        }
        const rejected = body.events.flatMap((e, index) => {
          const v = validateEvent(e);
          return v.ok ? [] : [{ index, code: v.code, field: v.field }];
        });
        return HttpResponse.json(
          { accepted: body.events.length - rejected.length, duplicates: 0, rejected },
          { status: 202 },
        );
      }),
    );
    return seen;
  }

  it('posts one event with the full envelope to the conversation of the token', async () => {
    const seen = ratings();
    const client = createClient(options());
    await client.rateConversation(TOKEN, 'csat.submitted', { score: 5, conversationId: 'T-1' });
    client.identify({ userId: 'u-1', signature: 'sig' });
    await client.rateConversation(TOKEN, 'ces.submitted', { score: 2, conversationId: 'T-1' });
    expect(seen.map((s) => s.token)).toEqual([TOKEN, TOKEN]);
    const [csat, ces] = seen.map((s) => s.body.events);
    const envelope = {
      id: expect.stringMatching(UUID),
      ts: expect.any(Number),
      siteKey: 'demo',
      sessionId: client.sessionId,
      anonymousId: client.anonymousId,
      conversationId: 'T-1',
    };
    expect(csat).toEqual([
      { ...envelope, type: 'csat.submitted', props: { score: 5, conversationId: 'T-1' } },
    ]);
    expect(ces).toEqual([
      {
        ...envelope,
        type: 'ces.submitted',
        userId: 'u-1',
        props: { score: 2, conversationId: 'T-1' },
      },
    ]);
    expect(seen[1]!.headers.get('x-lotse-user')).toBe('u-1');
    expect(seen[1]!.headers.get('x-lotse-signature')).toBe('sig');
    for (const e of [...csat!, ...ces!]) expect(validateEvent(e).ok).toBe(true);
    await client.close();
  });

  it('sends nothing unless consent is granted', async () => {
    const seen = ratings();
    const rate = (client: ReturnType<typeof createClient>) =>
      client.rateConversation(TOKEN, 'csat.submitted', { score: 4, conversationId: 'T-1' });
    const pending = createClient(options({ consent: 'pending' }));
    const denied = createClient(options({ consent: 'denied' }));
    const doNotTrack = createClient(
      options({ respectDoNotTrack: true, platform: { doNotTrack: () => true } }),
    );
    for (const client of [pending, denied, doNotTrack])
      await expect(rate(client)).resolves.toBe(undefined);
    expect(seen).toEqual([]);
    pending.setConsent('granted');
    await rate(pending);
    expect(seen).toHaveLength(1);
    await Promise.all([pending.close(), denied.close(), doNotTrack.close()]);
  });

  it('rejects a CSAT score out of range with a ValidationError naming the field', async () => {
    const seen = ratings();
    const client = createClient(options());
    const error = await client
      .rateConversation(TOKEN, 'csat.submitted', { score: 6, conversationId: 'T-1' })
      .catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'out_of_range', field: 'props.score' });
    expect((error as Error).message).toBe(
      '[lotse] The server refused the csat.submitted rating: out_of_range (props.score).',
    );
    // A refusal is an answer, not a failure: it is not retried.
    expect(seen).toHaveLength(1);
    await client.close();
  });

  it('retries a 503 with the same event until it is stored', async () => {
    const seen = ratings(503, 503);
    const client = createClient(options());
    await client.rateConversation(TOKEN, 'csat.submitted', { score: 5, conversationId: 'T-1' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body.events[0]!.id)).size).toBe(1);
    await client.close();
  });

  it('rejects with an HttpError once the attempts are used up', async () => {
    const seen = ratings(503, 503, 503);
    const client = createClient(options({ requestAttempts: 2 }));
    const error = await client
      .rateConversation(TOKEN, 'csat.submitted', { score: 5, conversationId: 'T-1' })
      .catch((e: unknown) => e);
    expect(isHttpError(error) && [error.status, error.code]).toEqual([503, 'code_503']);
    expect(seen).toHaveLength(2);
    await client.close();
  });
});
