import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handoffRequest, sdkEvent } from '../test-support/fixtures.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

const validEvent = fc.constant(null).map(() => sdkEvent());
/** A valid event with one field replaced by arbitrary JSON (or removed). */
const mutatedEvent = fc
  .tuple(
    validEvent,
    fc.constantFrom(
      'id',
      'type',
      'ts',
      'siteKey',
      'sessionId',
      'anonymousId',
      'props',
      'conversationId',
      '__proto__',
      'extra',
    ),
    fc.option(fc.jsonValue(), { nil: undefined }),
  )
  .map(([event, key, value]) => {
    const copy: Record<string, unknown> = { ...event };
    if (value === undefined) delete copy[key];
    else
      Object.defineProperty(copy, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return copy;
  });

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 200,
});
const questionEvent = anyText.map((text) =>
  sdkEvent({ type: 'query.unanswered', props: { text } }),
);

const body = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2000 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((events) => JSON.stringify({ events })),
  fc
    .array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), validEvent, mutatedEvent, questionEvent), {
      maxLength: 120,
    })
    .map((events) => JSON.stringify({ events })),
  fc.uint8Array({ maxLength: 3000 }),
);

describeStores('POST /v1/events with arbitrary input', (target) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(target);
  });
  afterAll(async () => {
    await t.close();
  });

  it('never answers with a 5xx, and always with the documented shapes', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (payload, type) => {
          const r = await send(`${t.url}/v1/events`, {
            body: typeof payload === 'string' ? payload : payload,
            headers: { 'content-type': type },
          });
          expect(r.status).toBeLessThan(500);
          if (r.status === 202) {
            expect(r.json).toEqual({
              accepted: expect.any(Number),
              duplicates: expect.any(Number),
              rejected: expect.any(Array),
            });
          } else {
            expect([400, 403, 413]).toContain(r.status);
            expect(typeof r.json.error.code).toBe('string');
          }
        },
      ),
      { numRuns: target.kind === 'sqlite' ? 300 : 100 },
    );
  });

  it('never answers a handoff with a 5xx, whatever its texts', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyText,
        anyText,
        fc.jsonValue({ maxDepth: 2 }),
        async (message, line, extra) => {
          const r = await send(`${t.url}/v1/handoffs`, {
            body: handoffRequest({
              message,
              transcript: [{ from: 'visitor', text: line, ts: 1 }],
              ...(extra === null ? {} : { locale: extra }),
            }),
          });
          expect(r.status).toBeLessThan(500);
          expect([201, 400]).toContain(r.status);
        },
      ),
      { numRuns: target.kind === 'sqlite' ? 200 : 60 },
    );
  });
});
