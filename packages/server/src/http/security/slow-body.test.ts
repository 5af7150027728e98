import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { send, startTestServer, type TestServer } from '../../test-support/server.js';
import { sqliteTarget } from '../../test-support/stores.js';
import { BODY_TIMEOUT_MS } from '../read-body.js';

const SOCKETS = 50;
/** The bound: the slow clients run for at most 30 s. */
const BOUND_MS = 30_000;

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** One client that announces a 60 KB body and then sends a byte every 500 ms. */
function slowClient(port: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  socket.write(
    'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 60000\r\n\r\n{"events":[',
  );
  const drip = setInterval(() => socket.write(' '), 500);
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => {
      clearInterval(drip);
      resolve(received);
    });
  });
  return { socket, answer };
}

/** GET /healthz, failing after `ms` (a bound, so a stalled server fails the test instead of hanging it). */
function health(url: string, ms: number): Promise<number> {
  return Promise.race([
    send(`${url}/healthz`).then((r) => r.status),
    new Promise<number>((resolve) => setTimeout(() => resolve(0), ms).unref()),
  ]);
}

it(
  'keeps /healthz answering while 50 clients trickle bodies, and cuts those clients off with 408',
  async () => {
    t = await startTestServer(sqliteTarget);
    const server = t.server;
    const clients = Array.from({ length: SOCKETS }, () => slowClient(server.port));
    let done = false;
    const all = Promise.all(clients.map((c) => c.answer)).finally(() => {
      done = true;
    });
    const bound = new Promise<'bound'>((resolve) =>
      setTimeout(() => resolve('bound'), BOUND_MS).unref(),
    );
    const statuses: number[] = [];
    const probe = (async () => {
      while (!done) statuses.push(await health(t!.url, 10_000));
    })();
    const outcome = await Promise.race([all, bound]);
    done = true;
    await probe;
    for (const c of clients) c.socket.destroy();

    expect(outcome, `slow clients still connected after ${BOUND_MS} ms`).not.toBe('bound');
    const answers = outcome as string[];
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"code":"request_timeout"');
    }
    // Polled the whole time the slow clients were connected, and every answer came.
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((s) => s === 200)).toBe(true);
  },
  BOUND_MS + BODY_TIMEOUT_MS + 30_000,
);
