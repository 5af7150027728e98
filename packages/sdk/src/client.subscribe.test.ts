import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from './client.js';
import type { EventStream } from './platform.js';
import type { ConversationMessage } from './schema/conversation.js';

const API = 'https://lotse.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** An EventSource stand-in the test drives. */
function fakeStream(url: string) {
  const listeners = new Map<string, ((e: { data?: unknown }) => void)[]>();
  const stream = {
    url,
    readyState: 1,
    closed: false,
    addEventListener(type: string, listener: (e: { data?: unknown }) => void) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    close() {
      stream.closed = true;
      stream.readyState = 2;
    },
    emit(type: string, data?: unknown) {
      for (const l of listeners.get(type) ?? []) l({ data });
    },
  };
  return stream;
}

const options = (extra: Partial<ClientOptions> = {}): ClientOptions => ({
  endpoint: API,
  siteKey: 'demo',
  flushInterval: 0,
  retryBaseMs: 1,
  retryMaxMs: 2,
  requestAttempts: 1,
  ...extra,
});

const reply = (id: string, text: string): ConversationMessage => ({
  id,
  from: 'agent',
  text,
  ts: 1,
});

describe('subscribeConversation', () => {
  it('opens the stream after the newest shown message and hands each message over once', async () => {
    const opened: ReturnType<typeof fakeStream>[] = [];
    const client = createClient(
      options({
        platform: {
          openEventStream: (url): EventStream => {
            const s = fakeStream(url);
            opened.push(s);
            return s;
          },
        },
      }),
    );
    const got: ConversationMessage[] = [];
    const statuses: string[] = [];
    const sub = client.subscribeConversation('to/k', {
      after: 'm1',
      onMessage: (m) => got.push(m),
      onStatus: (s) => statuses.push(s),
    });
    const s = opened[0]!;
    expect(s.url).toBe(`${API}/v1/conversations/to%2Fk/stream?after=m1`);
    s.emit('message', JSON.stringify(reply('m2', 'Ihr Paket ist unterwegs.')));
    // A browser reconnect may repeat a message; garbage is ignored.
    s.emit('message', JSON.stringify(reply('m2', 'Ihr Paket ist unterwegs.')));
    s.emit('message', 'not json');
    s.emit('message', JSON.stringify({ id: 3 }));
    s.emit('status', JSON.stringify({ status: 'open' }));
    s.emit('status', JSON.stringify({ status: 'closed' }));
    expect(got).toEqual([reply('m2', 'Ihr Paket ist unterwegs.')]);
    expect(statuses).toEqual(['closed']);
    sub.close();
    expect(s.closed).toBe(true);
    s.emit('message', JSON.stringify(reply('m3', 'late')));
    expect(got).toHaveLength(1);
    await client.close();
  });

  it('polls the conversation where there is no EventSource, from the newest message on', async () => {
    let messages = [reply('m1', 'Erste')];
    let status = 'open';
    let polls = 0;
    server.use(
      http.get(`${API}/v1/conversations/tok`, () => {
        polls++;
        return HttpResponse.json({ ticketId: 'T-1', status, messages });
      }),
    );
    const client = createClient(options({ platform: {} }));
    const got: string[] = [];
    const statuses: string[] = [];
    const sub = client.subscribeConversation('tok', {
      pollInterval: 5,
      onMessage: (m) => got.push(m.text),
      onStatus: (s) => statuses.push(s),
    });
    await expect.poll(() => polls).toBeGreaterThan(0);
    messages = [...messages, reply('m2', 'Zweite')];
    status = 'closed';
    await expect.poll(() => got).toEqual(['Zweite']);
    await expect.poll(() => statuses).toEqual(['closed']);
    sub.close();
    const after = polls;
    await client.close();
    expect(polls).toBeLessThanOrEqual(after + 1);
  });

  it('falls back to polling when the server refuses the stream', async () => {
    const opened: ReturnType<typeof fakeStream>[] = [];
    server.use(
      http.get(`${API}/v1/conversations/tok`, () =>
        HttpResponse.json({
          ticketId: 'T-1',
          status: 'open',
          messages: [reply('m1', 'Alt'), reply('m2', 'Neu')],
        }),
      ),
    );
    const client = createClient(
      options({
        platform: {
          openEventStream: (url) => {
            const s = fakeStream(url);
            opened.push(s);
            return s;
          },
        },
      }),
    );
    const got: string[] = [];
    const sub = client.subscribeConversation('tok', {
      after: 'm1',
      pollInterval: 5,
      onMessage: (m) => got.push(m.text),
    });
    opened[0]!.readyState = 2;
    opened[0]!.emit('error');
    await expect.poll(() => got).toEqual(['Neu']);
    sub.close();
    await client.close();
  });
});
