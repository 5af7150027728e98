// For tests: reads a server-sent event stream over plain HTTP, event by event.
import { type IncomingHttpHeaders, request } from 'node:http';

/** One parsed server-sent event. */
export interface StreamEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** An open stream as the tests drive it. */
export interface EventStreamClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every event received so far, in order. */
  events: StreamEvent[];
  /** Every raw text chunk received so far, joined (for "never contains" checks). */
  raw(): string;
  /** Resolves with the first event (from the start) that matches. */
  next(match: (e: StreamEvent) => boolean): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `url` with `Accept: text/event-stream` and parses what arrives. */
export function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const events: StreamEvent[] = [];
      const waiters: { match: (e: StreamEvent) => boolean; done: (e: StreamEvent) => void }[] = [];
      let text = '';
      let buffer = '';
      let endResolve: () => void = () => {};
      const ended = new Promise<void>((r) => {
        endResolve = r;
      });
      res.on('data', (chunk: string) => {
        text += chunk;
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
          const e: StreamEvent = { event: 'message', data: '', id: undefined };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const i = line.indexOf(':');
            const field = i === -1 ? line : line.slice(0, i);
            const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'event') e.event = value;
            else if (field === 'data') data.push(value);
            else if (field === 'id') e.id = value;
          }
          if (data.length === 0 && e.event === 'message') continue;
          e.data = data.join('\n');
          events.push(e);
          for (const w of [...waiters]) {
            if (w.match(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.done(e);
            }
          }
        }
      });
      res.on('end', endResolve);
      res.on('close', endResolve);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        raw: () => text,
        next: (match) =>
          new Promise((done) => {
            const found = events.find(match);
            if (found !== undefined) done(found);
            else waiters.push({ match, done });
          }),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
