import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './store/open-store.js';
import { sdkEvent } from './test-support/fixtures.js';
import { writeSiteFile } from './test-support/server.js';
import { spawnSource, waitForPort } from './test-support/spawn.js';

function postBatch(agent: Agent, port: number, events: unknown[]): Promise<number> {
  const body = JSON.stringify({ events });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/events',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('kill -9 during load (SQLite)', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  afterEach(() => {
    // A failed run must not leave a server behind.
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event after a crash and restart', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-crash-'));
    const siteFile = writeSiteFile(dataDir, {
      key: 'demo',
      title: 'Demo',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
    });
    const env = {
      PORT: '0',
      LOTSE_DATA_DIR: dataDir,
      LOTSE_SITE_FILES: siteFile,
      LOTSE_RATE_LIMIT_CLIENT: 'off',
      LOTSE_RATE_LIMIT_SITE: 'off',
      LOTSE_ADMIN_PASSWORD: 'crash-test-password',
      DATABASE_URL: '',
    };
    const server = spawnSource('main.ts', [], env);
    children.push(server);
    const port = await waitForPort(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });

    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    const killAfter = 40;
    const worker = async () => {
      for (;;) {
        const events = Array.from({ length: 20 }, () => sdkEvent());
        sent++;
        try {
          const status = await postBatch(agent, port, events);
          if (status === 202) acknowledged.push(...events.map((e) => String(e.id)));
          else throw new Error(`unexpected status ${status}`);
        } catch (error) {
          if (killed) return;
          throw error;
        }
        if (acknowledged.length >= killAfter * 20 && !killed) {
          killed = true;
          server.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    agent.destroy();
    await new Promise((resolve) =>
      server.exitCode !== null || server.signalCode !== null
        ? resolve(null)
        : server.once('exit', resolve),
    );
    expect(server.signalCode).toBe('SIGKILL');
    expect(sent).toBeGreaterThan(acknowledged.length / 20);

    // Restart on the same data directory, then stop it cleanly.
    const again = spawnSource('main.ts', [], env);
    children.push(again);
    await waitForPort(again);
    again.kill('SIGTERM');
    const code = await new Promise((resolve) => again.once('exit', resolve));
    expect(code).toBe(0);

    const store = await openStore({ dataDir });
    try {
      const found = await store.hasEvents(acknowledged);
      expect(found.size).toBe(acknowledged.length);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter * 20);
    } finally {
      await store.close();
    }
    // Two server starts from the sources and a kill: 4 s on an idle machine, over 30 s under a load
    // average of 10 on two cores.
  }, 120_000);
});
