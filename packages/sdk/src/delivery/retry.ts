/** True for the statuses worth retrying: 408 Request Timeout, 429 Too Many Requests and every 5xx. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500;

/**
 * Delay before retry number `attempt` (0-based): exponential backoff with full jitter, as in
 * "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015), which spreads clients after an outage.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

/**
 * Milliseconds a `Retry-After` header asks to wait (delta-seconds or HTTP-date, RFC 9110 §10.2.3),
 * capped at `maxMs`; `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number,
  maxMs: number,
): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now;
  return Number.isNaN(ms) ? undefined : Math.min(maxMs, Math.max(0, ms));
}
