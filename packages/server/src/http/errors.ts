import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Body of every 4xx/5xx answer (DESIGN.md "Server"); browsers get agent pages' as a page (pages/error-page.ts). */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Answers with DESIGN.md's error shape. */
export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  field?: string,
): Response {
  const body: ErrorBody = { error: { code, message, ...(field === undefined ? {} : { field }) } };
  return c.json(body, status);
}

/**
 * {@link apiError} with a message in the agent's language rather than English, said in
 * `Content-Language` (so an error page marks only a foreign detail with its language).
 */
export function localizedApiError(
  c: Context,
  language: string,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  field?: string,
): Response {
  c.header('Content-Language', language);
  return apiError(c, status, code, message, field);
}

/** 429 with `Retry-After` in whole seconds (at least 1). */
export function rateLimited(c: Context, retryAfterMs: number, scope: 'client' | 'site'): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  return apiError(
    c,
    429,
    'rate_limited',
    `Too many requests ${scope === 'client' ? 'from this client' : 'for this site'}; retry in ${seconds} s.`,
  );
}
