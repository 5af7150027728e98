import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { type Collector, startCollector } from '../test/collector.js';
import { record, seeded } from '../test/helpers.js';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('delivery against a real loopback server with faults', () => {
  it('delivers 10 000 events exactly once by id despite 5xx, 429, resets after storing and slow answers', async () => {
    collector = await startCollector({
      error5xx: 0.3,
      rateLimit: 0.1,
      retryAfterSeconds: 1,
      resetAfterStore: 0.1,
      slow: 0.1,
      slowMs: 30,
      random: seeded(42),
    });
    const client = createClient({
      endpoint: collector.url,
      siteKey: 'demo',
      flushInterval: 5,
      maxQueue: 10_000,
      retryBaseMs: 2,
      retryMaxMs: 20,
      // Caps the collector's Retry-After: 1 so the run takes seconds, not minutes.
      maxRetryAfterMs: 20,
    });
    const r = record(client);
    for (let i = 0; i < 10_000; i++) client.track('nps.submitted', { score: i % 11 });
    await client.flush();
    await client.close();
    const sent = r.sentIds();
    expect(r.drops).toEqual([]);
    expect(new Set(sent).size).toBe(10_000);
    expect(sent).toHaveLength(10_000);
    expect(collector.ids.size).toBe(10_000);
    for (const id of sent) expect(collector.ids.has(id)).toBe(true);
    // Resets after storing made the client send some batches twice; dedup by id kept them once.
    expect(collector.received).toBeGreaterThan(10_000);
    expect(r.errors.length).toBeGreaterThan(0);
  }, 60_000);
});
