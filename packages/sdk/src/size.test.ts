import { describe, expect, it } from 'vitest';
import { type BundleSize, buildBundles } from './test/build-bundle.js';

// Budgets from the SDK issue's acceptance: default client ≤ 10 KB min+gzip (ky's ≈ 5 KB included),
// with every schema ≤ 20 KB (Snowplow, the smallest peer, is 18 KB without validation).
const BUDGET = { client: 10 * 1024, clientBrowser: 11 * 1024, clientSchemas: 20 * 1024 };
// zod/mini's classes are `$ZodString`, `$ZodObject`, …; its error map and `_zod` internals name it too.
const ZOD = /zod/i;

let built: Promise<BundleSize[]> | undefined;
const bundles = () => (built ??= buildBundles());
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bundle size', () => {
  it('keeps each browser bundle within its byte budget and free of forbidden identifiers', async () => {
    const all = await bundles();
    for (const b of all) {
      expect.soft(b.gzipBytes, `${b.name} min+gzip bytes`).toBeLessThanOrEqual(BUDGET[b.name]);
      expect.soft(b.code + b.lazy.code, `${b.name} contains preact`).not.toMatch(/preact/i);
    }
    const client = all.find((b) => b.name === 'client')!;
    // The default client must not carry the schemas (STYLE.md: identifiers that must never appear).
    expect(client.code).not.toMatch(ZOD);
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

  it('splits the schemas of validate: true into a lazy chunk within the schema budget', async () => {
    const client = (await bundles()).find((b) => b.name === 'client')!;
    // The entry loads the chunk with a dynamic import(), so bundlers split rather than inline it.
    expect(client.lazy.files.length).toBeGreaterThan(0);
    const chunk = client.lazy.files.find((f) => /validate-event/.test(f));
    expect(chunk, `lazy chunks: ${client.lazy.files.join(', ')}`).toBeDefined();
    expect(client.code).toMatch(
      new RegExp(`import\\(\\s*[\`'"]\\./${escapeRegExp(chunk!)}[\`'"]\\s*\\)`),
    );
    expect(client.lazy.code).toMatch(ZOD);
    expect(client.gzipBytes + client.lazy.gzipBytes).toBeLessThanOrEqual(BUDGET.clientSchemas);
  }, 60_000);
});
