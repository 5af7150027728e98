import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../client.js';
import { memoryPlatform, record } from '../test/helpers.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

const API = 'https://lotse.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());
beforeEach(() => {
  // Only the timer functions and Date: msw and fetch keep their real promises and I/O.
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  vi.setSystemTime(Date.UTC(2026, 10, 25, 12));
});

/** Answers with `script` in turn (then 202) and records when each request arrived. */
function script(...responses: (() => Response)[]) {
  const at: number[] = [];
  server.use(
    http.post(`${API}/v1/events`, async ({ request }) => {
      at.push(Date.now());
      const n = ((await request.json()) as { events: unknown[] }).events.length;
      return (
        responses.shift()?.() ??
        HttpResponse.json({ accepted: n, duplicates: 0, rejected: [] }, { status: 202 })
      );
    }),
  );
  return at;
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(null, { status: code, headers });

/** Lets fetch, msw and our promise chains run between timer steps. */
async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

describe('backoff and Retry-After', () => {
  it('backs off exponentially with full jitter', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 1000, 30_000, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 30_000,
    ]);
    expect(backoffDelay(3, 1000, 30_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 30_000, () => 0.5)).toBe(4000);
  });

  it('reads Retry-After as seconds or HTTP-date, capped', () => {
    const now = Date.UTC(2026, 10, 25, 12);
    expect(parseRetryAfter('7', now, 60_000)).toBe(7000);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now, 300_000)).toBe(90_000);
    expect(parseRetryAfter('3600', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now, 60_000)).toBe(0);
    expect(parseRetryAfter('soon', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter(null, now, 60_000)).toBeUndefined();
  });

  it('waits 1 s, 2 s, 4 s between attempts on 503', async () => {
    const at = script(status(503), status(503), status(503));
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      flushInterval: 0,
      random: () => 1,
    });
    const r = record(client);
    client.track('nps.submitted', { score: 10 });
    await advance(0);
    await advance(1000);
    await advance(2000);
    await advance(4000);
    expect(at.map((t) => t - at[0]!)).toEqual([0, 1000, 3000, 7000]);
    expect(r.sentIds()).toHaveLength(1);
    expect(r.errors.map((e) => e.message.replace(/^.*: /, ''))).toEqual([
      '503 Service Unavailable. Retrying in 1 s.',
      '503 Service Unavailable. Retrying in 2 s.',
      '503 Service Unavailable. Retrying in 4 s.',
    ]);
    await client.close();
  });

  it('honours Retry-After in seconds and as an HTTP-date, capped by maxRetryAfterMs', async () => {
    const date = new Date(Date.UTC(2026, 10, 25, 12, 0, 30)).toUTCString();
    const at = script(
      status(429, { 'retry-after': '7' }),
      status(503, { 'retry-after': date }),
      status(429, { 'retry-after': '86400' }),
    );
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      flushInterval: 0,
      random: () => 0,
      maxRetryAfterMs: 60_000,
    });
    client.track('nps.submitted', { score: 10 });
    await advance(0);
    await advance(7000);
    // 12:00:07 now; the date asks for 12:00:30.
    await advance(23_000);
    await advance(60_000);
    expect(at.map((t) => (t - at[0]!) / 1000)).toEqual([0, 7, 30, 90]);
    await client.close();
  });

  it('keeps one batch in flight and does not send before the flush interval', async () => {
    const at = script();
    const client = createClient({ endpoint: API, siteKey: 'demo', flushInterval: 5000 });
    client.track('nps.submitted', { score: 1 });
    client.track('nps.submitted', { score: 2 });
    await advance(4999);
    expect(at).toHaveLength(0);
    await advance(1);
    expect(at).toHaveLength(1);
    await client.close();
  });
});

describe('outage and close', () => {
  it('stays within its bound during a 10-minute outage and delivers the newest after it', async () => {
    let down = true;
    const delivered = new Set<string>();
    server.use(
      http.post(`${API}/v1/events`, async ({ request }) => {
        const events = ((await request.json()) as { events: { id: string }[] }).events;
        if (down) return HttpResponse.error();
        for (const e of events) delivered.add(e.id);
        return HttpResponse.json(
          { accepted: events.length, duplicates: 0, rejected: [] },
          { status: 202 },
        );
      }),
    );
    const { platform, state } = memoryPlatform();
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      maxQueue: 200,
      flushInterval: 1000,
      retryMaxMs: 30_000,
    });
    const r = record(client);
    let maxTimers = 0;
    for (let s = 0; s < 600; s++) {
      for (let i = 0; i < 2; i++) client.track('query.submitted', { length: s });
      await advance(1000);
      maxTimers = Math.max(maxTimers, vi.getTimerCount());
    }
    // 1200 tracked, at most 200 kept: the 1000 oldest were dropped and reported.
    expect(state.maxSaved).toBeLessThanOrEqual(200);
    expect(r.drops.every((d) => d.reason === 'outbox_full')).toBe(true);
    expect(r.droppedIds()).toHaveLength(1000);
    expect(maxTimers).toBeLessThanOrEqual(2);
    down = false;
    await advance(60_000);
    await client.flush();
    expect(delivered.size).toBe(200);
    expect(new Set([...r.droppedIds(), ...r.sentIds()]).size).toBe(1200);
    await client.close();
  });

  it('leaves no timers and no listeners after close()', async () => {
    script(status(503));
    const { platform, state } = memoryPlatform();
    const client = createClient({
      endpoint: API,
      siteKey: 'demo',
      platform,
      flushInterval: 1000,
      closeTimeout: 2000,
    });
    client.on('error', () => {});
    client.track('nps.submitted', { score: 3 });
    await advance(1000);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    expect(state.listeners.size).toBe(1);
    const closed = client.close();
    await advance(5000);
    await closed;
    expect(vi.getTimerCount()).toBe(0);
    expect(state.listeners.size).toBe(0);
    expect(state.closed).toBe(1);
  });
});
