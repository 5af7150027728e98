import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Faults a {@link startCollector} injects, each a probability per request. */
export interface CollectorFaults {
  /** Answer 503 without storing. */
  error5xx?: number;
  /** Answer 429 with `Retry-After: retryAfterSeconds` without storing. */
  rateLimit?: number;
  /** Store the batch, then reset the connection before answering. */
  resetAfterStore?: number;
  /** Wait `slowMs` before answering. */
  slow?: number;
  slowMs?: number;
  retryAfterSeconds?: number;
  random?: () => number;
}

/** A loopback event collector that deduplicates by id, like the real server. */
export interface Collector {
  url: string;
  ids: Set<string>;
  requests: number;
  received: number;
  faults: CollectorFaults;
  close(): Promise<void>;
}

/** Starts a real HTTP server on 127.0.0.1:0 speaking `POST /v1/events`. */
export async function startCollector(faults: CollectorFaults = {}): Promise<Collector> {
  const random = faults.random ?? Math.random;
  const state = { ids: new Set<string>(), requests: 0, received: 0, faults };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const f = state.faults;
    if (f.slow && random() < f.slow) await new Promise((r) => setTimeout(r, f.slowMs ?? 20));
    if (f.error5xx && random() < f.error5xx) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: 'try later' } }));
      return;
    }
    if (f.rateLimit && random() < f.rateLimit) {
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(f.retryAfterSeconds ?? 0),
      });
      res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }));
      return;
    }
    const events = (JSON.parse(raw) as { events: { id: string }[] }).events;
    let duplicates = 0;
    for (const e of events) {
      state.received++;
      if (state.ids.has(e.id)) duplicates++;
      else state.ids.add(e.id);
    }
    if (f.resetAfterStore && random() < f.resetAfterStore) {
      req.socket.destroy();
      return;
    }
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: events.length - duplicates, duplicates, rejected: [] }));
  };
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
