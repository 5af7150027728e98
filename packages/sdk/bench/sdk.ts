// pnpm bench:sdk — bundle sizes, track() cost, delivery throughput, and the 10 000-events-under-faults run.
import { performance } from 'node:perf_hooks';
import { createClient } from '../src/index.js';
import { buildBundles } from '../src/test/build-bundle.js';
import { startCollector } from '../src/test/collector.js';
import { fakeFetch, record, seeded } from '../src/test/helpers.js';

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function sizes() {
  console.log('Browser bundles (Vite 8 library mode, ES, minified; gzip level 9):');
  const budget: Record<string, number> = { client: 10, clientBrowser: 11, clientSchemas: 20 };
  const row = (name: string, min: number, gzip: number, note: string) =>
    console.log(
      `  ${name.padEnd(16)} ${kb(min).padStart(10)} min  ${kb(gzip).padStart(9)} min+gzip  (${note})`,
    );
  for (const b of await buildBundles()) {
    row(b.name, b.minBytes, b.gzipBytes, `budget ${budget[b.name]} KB; ${b.files.length} file(s)`);
    if (b.name === 'client' && b.lazy.files.length) {
      row(
        '  + validate:true',
        b.minBytes + b.lazy.minBytes,
        b.gzipBytes + b.lazy.gzipBytes,
        `budget 20 KB; lazy chunk ${kb(b.lazy.gzipBytes)} loaded only with validate: true`,
      );
    }
  }
}

async function trackCost() {
  const runs: number[] = [];
  const n = 10_000;
  for (let run = 0; run < 9; run++) {
    const client = createClient({
      endpoint: 'https://lotse.test',
      siteKey: 'demo',
      fetch: fakeFetch().fetch,
      flushInterval: 60_000,
      maxQueue: n,
      closeTimeout: 5000,
    });
    const t0 = performance.now();
    for (let i = 0; i < n; i++)
      client.track('triage.decided', {
        kind: 'answer',
        level: 1,
        topic: 'returns',
        confidence: 0.8,
        signals: [],
      });
    runs.push(((performance.now() - t0) * 1000) / n);
    await client.close();
  }
  console.log(
    `track() cost: median ${median(runs).toFixed(2)} µs/event (9 runs × ${n} events, batching and JSON sizing included)`,
  );
}

async function throughput() {
  const collector = await startCollector();
  const n = 50_000;
  const client = createClient({
    endpoint: collector.url,
    siteKey: 'demo',
    flushInterval: 0,
    maxQueue: n,
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) client.track('nps.submitted', { score: i % 11 });
  await client.flush();
  const s = (performance.now() - t0) / 1000;
  await client.close();
  await collector.close();
  console.log(
    `Delivery to a loopback collector (node:http, 127.0.0.1, no faults): ${n} events in ${s.toFixed(2)} s = ${Math.round(n / s)} events/s, ${collector.requests} requests`,
  );
}

async function underFaults() {
  const collector = await startCollector({
    error5xx: 0.3,
    rateLimit: 0.1,
    retryAfterSeconds: 1,
    resetAfterStore: 0.1,
    slow: 0.1,
    slowMs: 30,
    random: seeded(7),
  });
  const n = 10_000;
  const client = createClient({
    endpoint: collector.url,
    siteKey: 'demo',
    flushInterval: 5,
    maxQueue: n,
    retryBaseMs: 2,
    retryMaxMs: 20,
    maxRetryAfterMs: 20,
  });
  const r = record(client);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) client.track('nps.submitted', { score: i % 11 });
  await client.flush();
  const s = (performance.now() - t0) / 1000;
  await client.close();
  await collector.close();
  const sent = new Set(r.sentIds());
  const lost =
    [...sent].filter((id) => !collector.ids.has(id)).length +
    (n - sent.size - r.droppedIds().length);
  console.log(
    'Faults: 30 % 503, 10 % 429 (Retry-After: 1, capped to 20 ms by maxRetryAfterMs), 10 % connection reset after storing, 10 % slow (30 ms)',
  );
  console.log(
    `  ${n} tracked → ${collector.ids.size} distinct stored, ${lost} lost (${r.droppedIds().length} dropped; ${collector.received} received incl. ${collector.received - collector.ids.size} resent duplicates; ${collector.requests} requests; ${r.errors.length} failed attempts; ${s.toFixed(2)} s)`,
  );
}

await sizes();
await trackCost();
await throughput();
await underFaults();
