import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { mailClient } from '../test-support/mail.js';
import { writeSiteFile } from '../test-support/server.js';
import { spawnSource, waitForPort } from '../test-support/spawn.js';

/** The mail listener's port, from the child's log line. */
function listenerPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /mail listener on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m !== null) {
        child.stdout?.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
}

describe('kill -9 while mail is received (SQLite)', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged mail and decides it after the restart', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-mail-crash-'));
    const siteFile = writeSiteFile(dataDir, {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
      mail: { addresses: ['hilfe@nordlicht.test'], listener: { host: '127.0.0.1', port: 0 } },
    });
    const env = {
      PORT: '0',
      LOTSE_DATA_DIR: dataDir,
      LOTSE_SITE_FILES: siteFile,
      LOTSE_ADMIN_PASSWORD: 'crash-test-password',
      DATABASE_URL: '',
    };
    const server = spawnSource('main.ts', [], env);
    children.push(server);
    const port = await listenerPort(server);
    const client = mailClient(port, true);
    const acknowledged: string[] = [];
    let killed = false;
    const killAfter = 60;
    const worker = async () => {
      while (!killed) {
        const id = `<${randomUUID()}@kunde.example>`;
        try {
          await client.sendMail({
            from: 'eva@kunde.example',
            to: 'hilfe@nordlicht.test',
            messageId: id,
            subject: 'Paket',
            text: 'Mein Paket ist nicht angekommen.',
          });
          acknowledged.push(id);
        } catch (error) {
          if (killed) return;
          throw error;
        }
        if (acknowledged.length >= killAfter && !killed) {
          killed = true;
          server.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    client.close();
    await new Promise((resolve) =>
      server.exitCode !== null || server.signalCode !== null
        ? resolve(null)
        : server.once('exit', resolve),
    );
    expect(server.signalCode).toBe('SIGKILL');

    // Restart: what was stored but not decided is decided now.
    const again = spawnSource('main.ts', [], env);
    children.push(again);
    await waitForPort(again);
    const store = await openStore({ dataDir });
    try {
      const end = Date.now() + 60_000;
      while ((await store.listUndecidedMails(1)).length > 0 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await store.listUndecidedMails(1)).toEqual([]);
      const mails = await store.listMails('shop', 10_000);
      const stored = new Set(mails.map((m) => m.messageId));
      for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      expect(await store.countHandoffs('shop')).toBe(mails.length);
    } finally {
      await store.close();
    }
    again.kill('SIGTERM');
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
  }, 180_000);
});
