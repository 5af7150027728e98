import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createWorkerClient, type WorkerClient } from './worker-client.js';

type Request = { id: number; exit?: true; close?: true };
type Reply = { id: number; threadId: number; label: string };

let dir: string;
let client: WorkerClient<Request, Reply>;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lotse-worker-client-'));
  const entry = path.join(dir, 'echo.mjs');
  // Answers with its thread and its workerData; ends itself on `exit`.
  writeFileSync(
    entry,
    `import { parentPort, threadId, workerData } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.exit) process.exit(3);
  parentPort.postMessage({ id: m.id, threadId, label: workerData.label });
  if (m.close) parentPort.close();
});`,
  );
  client = createWorkerClient<Request, Reply>(pathToFileURL(entry), 'echo', { label: 'first' });
});
afterEach(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

it('starts on the first request, and again with the same data after the thread ended', async () => {
  expect(client.running()).toBe(false);
  const first = await client.ask({});
  expect(first.label).toBe('first');
  expect(client.running()).toBe(true);

  await expect(client.ask({ exit: true })).rejects.toThrow('[lotse] echo stopped (exit 3)');
  expect(client.running()).toBe(false);

  const again = await client.ask({});
  expect(again.label).toBe('first');
  expect(again.threadId).not.toBe(first.threadId);
  expect(client.running()).toBe(true);
});

it('starts without a request, once', async () => {
  client.start();
  expect(client.running()).toBe(true);
  const first = await client.ask({});
  client.start();
  expect((await client.ask({})).threadId).toBe(first.threadId);
});
