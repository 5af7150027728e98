import { describe, expect, it } from 'vitest';
import { buildBundles } from './test/build-bundle.js';

// Budgets from the SDK issue's acceptance: default client ≤ 10 KB min+gzip (ky's ≈ 5 KB included),
// with every schema ≤ 20 KB (Snowplow, the smallest peer, is 18 KB without validation).
const BUDGET = { client: 10 * 1024, clientBrowser: 11 * 1024, clientSchemas: 20 * 1024 };

describe('bundle size', () => {
  it('keeps each browser bundle within its byte budget and free of forbidden identifiers', async () => {
    const bundles = await buildBundles();
    for (const b of bundles) {
      expect.soft(b.gzipBytes, `${b.name} min+gzip bytes`).toBeLessThanOrEqual(BUDGET[b.name]);
      expect.soft(b.code, `${b.name} contains preact`).not.toMatch(/preact/i);
    }
    const client = bundles.find((b) => b.name === 'client')!;
    // The default client must not carry the schemas (STYLE.md: identifiers that must never appear).
    expect(client.code).not.toMatch(/zod/i);
    // The core is DOM- and Node-free: browser APIs come through the platform adapter.
    // (ky lists `window` as a fetch option name, hence "used as an object" rather than the bare word.)
    for (const use of [
      /\bdocument\s*[.[]/,
      /\bwindow\s*[.[]/,
      /localStorage/,
      /sendBeacon/,
      /\bprocess\./,
      /\bBuffer\b/,
      /\brequire\(/,
    ]) {
      expect.soft(client.code, `client bundle uses ${use}`).not.toMatch(use);
    }
  }, 60_000);
});
