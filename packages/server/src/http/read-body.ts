import type { IncomingMessage } from 'node:http';

/** Outcome of {@link readBody}. */
export type ReadBodyResult =
  | { ok: true; text: string }
  | {
      ok: false;
      code: 'payload_too_large' | 'invalid_json' | 'aborted' | 'request_timeout';
      message: string;
    };

/**
 * Longest a request body may take to arrive: 64 KB (the largest body of the visitor routes but a
 * handoff's) at about 40 kbit/s, a poor mobile link. A client trickling bytes slower holds a socket
 * and memory for nothing (slowloris), so it is answered 408 and the connection closed.
 */
export const BODY_TIMEOUT_MS = 15_000;

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): ReadBodyResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, code: 'invalid_json', message: 'The body is not valid UTF-8.' };
  }
}

function tooLarge(limit: number): ReadBodyResult {
  return {
    ok: false,
    code: 'payload_too_large',
    message: `The body is larger than ${limit} bytes; split it into smaller requests.`,
  };
}

function timedOut(timeoutMs: number): ReadBodyResult {
  return {
    ok: false,
    code: 'request_timeout',
    message: `The body did not arrive within ${timeoutMs / 1000} s; send it at once.`,
  };
}

/**
 * Reads a request body as UTF-8, counting bytes as they arrive and stopping at `limit` — a client
 * can lie in `Content-Length` or send chunked, so the header only serves to refuse early — or when
 * it has not fully arrived after `timeoutMs`.
 */
export async function readBody(
  incoming: IncomingMessage | undefined,
  fallback: Request,
  limit: number,
  timeoutMs: number = BODY_TIMEOUT_MS,
): Promise<ReadBodyResult> {
  const declared = Number(fallback.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) return tooLarge(limit);
  if (incoming === undefined) return readWebStream(fallback, limit, timeoutMs);
  if (incoming.readableEnded) return { ok: true, text: '' };

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      incoming.pause();
      finish(timedOut(timeoutMs));
    }, timeoutMs);
    const finish = (result: ReadBodyResult) => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onAbort);
      incoming.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.pause();
        finish(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(decode(Buffer.concat(chunks, size)));
    const onAbort = () => {
      if (!incoming.readableEnded) {
        finish({ ok: false, code: 'aborted', message: 'The request body was cut off.' });
      }
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onAbort);
    incoming.on('close', onAbort);
  });
}

async function readWebStream(
  request: Request,
  limit: number,
  timeoutMs: number,
): Promise<ReadBodyResult> {
  if (request.body === null) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'timeout') {
        await reader.cancel().catch(() => {});
        return timedOut(timeoutMs);
      }
      const { done, value } = next;
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, code: 'aborted', message: 'The request body was cut off.' };
  } finally {
    clearTimeout(timer);
  }
  return decode(Buffer.concat(chunks, size));
}
