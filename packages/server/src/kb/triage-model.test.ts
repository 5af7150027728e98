import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import { send, writeSiteFile } from '../test-support/server.js';

const config = {
  title: { en: 'Help – Test Shop' },
  locales: ['en'],
  defaultLocale: 'en',
  levels: { '1': { en: 'Standard' }, '2': { en: 'Service team' }, '3': { en: 'Specialists' } },
  topics: {
    returns: { name: { en: 'Returns' }, queue: 'returns', level: 1 },
    shipping: { name: { en: 'Shipping' }, queue: 'logistics', level: 1 },
  },
  thresholds: { answer: 0.55, suggest: 0.2 },
};

function entry(
  id: string,
  topic: string,
  title: string,
  examples: string[],
  answer: string,
): string {
  return `---\nid: ${id}\ntitle: ${title}\ntopic: ${topic}\nlocale: en\nexamples: ${JSON.stringify(examples)}\n---\n${answer}\n`;
}

describe('models built by @lotse/triage', () => {
  let dir: string;
  let server: RunningServer;
  const errors: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-kb-'));
    const kb = path.join(dir, 'kb');
    mkdirSync(kb);
    writeFileSync(path.join(kb, 'lotse.config.json'), JSON.stringify(config));
    writeFileSync(
      path.join(kb, 'returns-label.md'),
      entry(
        'returns-label',
        'returns',
        'Print a return label',
        ['How do I get a return label?', 'print return slip'],
        'Under **My account**.',
      ),
    );
    const site = writeSiteFile(dir, {
      key: 'demo',
      title: 'Demo',
      allowedOrigins: [],
      knowledgeBase: 'kb',
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
    });
    errors.length = 0;
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      siteFiles: [site],
      modelDebounceMs: 50,
      admin: { password: 'test-password' },
      logger: { info() {}, warn() {}, error: (m) => errors.push(m) },
    });
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function modelAfter(etag: string | undefined) {
    for (let i = 0; i < 400; i++) {
      await server.knowledgeBase.settled();
      const r = await send(`${server.url}/v1/sites/demo/model.json`);
      if (r.headers.etag !== etag) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('model not rebuilt');
  }

  it('serves the real model and rebuilds it on change, keeping it when the change is invalid', async () => {
    const first = await send(`${server.url}/v1/sites/demo/model.json`);
    expect(first.status).toBe(200);
    expect(first.json.format).toBe('lotse-triage-model');
    expect(first.text).not.toContain('delivery-time');

    writeFileSync(
      path.join(dir, 'kb', 'delivery-time.md'),
      entry(
        'delivery-time',
        'shipping',
        'Delivery time',
        ['How long does delivery take?', 'shipping time'],
        'Two days.',
      ),
    );
    const second = await modelAfter(first.headers.etag);
    expect(second.text).toContain('delivery-time');

    // No title: the knowledge base is invalid, the last good model stays.
    writeFileSync(
      path.join(dir, 'kb', 'broken.md'),
      '---\nid: broken\ntopic: returns\nlocale: en\n---\nx\n',
    );
    for (let i = 0; i < 400 && errors.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(errors.join('\n')).toContain('broken.md');
    const kept = await send(`${server.url}/v1/sites/demo/model.json`);
    expect(kept.headers.etag).toBe(second.headers.etag);
  });
});
