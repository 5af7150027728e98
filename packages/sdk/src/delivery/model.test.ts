import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { record } from '../test/helpers.js';
import type { Consent } from './delivery.js';

type Network = 'up' | 'down' | '503' | '413' | 'reject-first';
type Action =
  | { kind: 'track'; count: number }
  | { kind: 'flush' }
  | { kind: 'network'; state: Network }
  | { kind: 'consent'; state: Consent }
  | { kind: 'wait'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('track' as const),
      count: fc.integer({ min: 1, max: 30 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('network' as const),
      state: fc.constantFrom<Network>('up', 'down', '503', '413', 'reject-first'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('consent' as const),
      state: fc.constantFrom<Consent>('granted', 'denied', 'pending'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 15 }),
    }),
  },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delivery model', () => {
  it('ends every event exactly once, acknowledged or dropped with a reason, and sends nothing without consent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { maxLength: 25 }),
        fc.constantFrom<Consent>('granted', 'pending'),
        async (actions, initial) => {
          let network: Network = 'up';
          let consent: Consent = initial;
          const tracked: string[] = [];
          const stored = new Set<string>();
          const violations: string[] = [];
          const fetch = (async (input: Request) => {
            if (consent !== 'granted') violations.push(`sent a request while ${consent}`);
            const { events } = (await input.json()) as { events: { id: string }[] };
            if (network === 'down') throw new TypeError('fetch failed');
            if (network === '503') return new Response(null, { status: 503 });
            if (network === '413' && events.length > 1) return new Response(null, { status: 413 });
            const rejected =
              network === 'reject-first'
                ? [{ index: 0, code: 'invalid_field', field: 'props' }]
                : [];
            for (const [i, e] of events.entries())
              if (!rejected.some((r) => r.index === i)) stored.add(e.id);
            return Response.json(
              { accepted: events.length - rejected.length, duplicates: 0, rejected },
              { status: 202 },
            );
          }) as typeof globalThis.fetch;
          const client = createClient({
            endpoint: 'https://lotse.test',
            siteKey: 'demo',
            consent: initial,
            fetch,
            flushInterval: 2,
            retryBaseMs: 1,
            retryMaxMs: 4,
            maxQueue: 60,
            maxPending: 20,
            closeTimeout: 300,
            validate: (e) => {
              tracked.push((e as { id: string }).id);
              return { ok: true };
            },
          });
          const r = record(client);
          for (const a of actions) {
            if (a.kind === 'track')
              for (let i = 0; i < a.count; i++) client.track('nps.submitted', { score: i % 11 });
            else if (a.kind === 'flush') await Promise.race([client.flush(), sleep(20)]);
            else if (a.kind === 'network') network = a.state;
            else if (a.kind === 'consent') {
              consent = a.state;
              client.setConsent(a.state);
            } else await sleep(a.ms);
          }
          network = 'up';
          await client.close();

          expect(violations).toEqual([]);
          const ended = [...r.sentIds(), ...r.droppedIds()];
          expect(ended.sort()).toEqual([...tracked].sort());
          expect(new Set(ended).size).toBe(ended.length);
          for (const id of r.sentIds()) expect(stored.has(id)).toBe(true);
          for (const d of r.drops) expect(d.reason).toMatch(/^[a-z_]+$/);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
