import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { createNodePlatform } from './node.js';
import { fakeFetch, record, tick } from './test/helpers.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Node file outbox', () => {
  it('keeps unacknowledged events across a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lotse-outbox-'));
    const file = join(dir, 'outbox.json');
    const down = createClient({
      endpoint: 'https://lotse.test',
      siteKey: 'demo',
      platform: createNodePlatform({ file }),
      fetch: fakeFetch(() => false).fetch,
      flushInterval: 0,
      closeTimeout: 0,
    });
    const r1 = record(down);
    for (let i = 0; i < 3; i++) down.track('nps.submitted', { score: i });
    await tick();
    await down.close();
    expect(r1.drops).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(3);

    const net = fakeFetch();
    const up = createClient({
      endpoint: 'https://lotse.test',
      siteKey: 'demo',
      platform: createNodePlatform({ file }),
      fetch: net.fetch,
      flushInterval: 0,
    });
    await up.flush();
    expect(net.received).toHaveLength(3);
    await up.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([]);
  });

  it('without a file keeps events in memory only', () => {
    expect(createNodePlatform()).toEqual({});
  });
});
