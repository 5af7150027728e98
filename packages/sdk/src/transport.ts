import ky from 'ky';
import { HttpError, type LotseError, NetworkError, TimeoutError } from './errors.js';

/** A `fetch` implementation, e.g. to add auth or to test (same shape as the global). */
export type FetchLike = typeof globalThis.fetch;

/** An answer, or why there was none (`status` 0). */
export interface TransportResult {
  status: number;
  statusText: string;
  body: unknown;
  retryAfter: string | null;
  failure?: 'network' | 'timeout';
  cause?: unknown;
}

/** Sends one JSON request: `(method, url, json?, signal?, headers?)`. */
export type Send = (
  method: 'get' | 'post',
  url: string,
  json?: unknown,
  signal?: AbortSignal,
  headers?: Record<string, string>,
) => Promise<TransportResult>;

/** Wraps ky with retries off: delivery owns retries, so every attempt is visible to it. */
export function createTransport(timeout: number, fetch?: FetchLike): Send {
  const api = ky.create({ retry: 0, timeout, throwHttpErrors: false, ...(fetch && { fetch }) });
  return async (method, url, json, signal, headers) => {
    try {
      const res = await api(url, {
        method,
        ...(json !== undefined && { json }),
        ...(signal && { signal }),
        ...(headers && { headers }),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      return {
        status: res.status,
        statusText: res.statusText,
        body,
        retryAfter: res.headers.get('retry-after'),
      };
    } catch (cause) {
      const failure = (cause as Error)?.name === 'TimeoutError' ? 'timeout' : 'network';
      return { status: 0, statusText: '', body: undefined, retryAfter: null, failure, cause };
    }
  };
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The `{ error: { code, message, field? } }` body of a server error, when it has that shape. */
export function errorInfo(body: unknown): { code?: string; message?: string; field?: string } {
  const e = (body as { error?: unknown } | undefined)?.error;
  return typeof e === 'object' && e !== null ? (e as { code?: string }) : {};
}

/**
 * Builds the typed error for a failed attempt, with a message such as
 * `[lotse] Failed to send 20 events to https://…/v1/events: 503 Service Unavailable. Retrying in 4 s.`
 */
export function failureError(
  what: string,
  url: string,
  r: TransportResult,
  timeout: number,
  retryInMs?: number,
): LotseError {
  const info = errorInfo(r.body);
  const detail = r.failure
    ? r.failure === 'timeout'
      ? `no answer within ${seconds(timeout)}`
      : `network error (${String((r.cause as Error)?.message ?? r.cause)})`
    : `${r.status} ${r.statusText}`.trim() + (info.message ? ` (${info.message})` : '');
  const message = `[lotse] Failed to ${what} ${url}: ${detail}.${
    retryInMs === undefined ? '' : ` Retrying in ${seconds(retryInMs)}.`
  }`;
  const options = { cause: r.cause ?? r.body };
  if (r.failure === 'timeout') return new TimeoutError(message, options);
  if (r.failure) return new NetworkError(message, options);
  return new HttpError(message, r.status, info.code ?? `http_${r.status}`, info.field, options);
}
