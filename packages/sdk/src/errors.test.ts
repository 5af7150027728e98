import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  HttpError,
  isHttpError,
  isLotseError,
  isNetworkError,
  isTimeoutError,
  isValidationError,
  LotseError,
  NetworkError,
  TimeoutError,
  ValidationError,
} from './errors.js';

describe('error hierarchy', () => {
  it('gives every error a literal name, a stable code and the cause', () => {
    const cause = new Error('socket hang up');
    const e = new NetworkError(
      '[lotse] Failed to send 1 event to https://x/v1/events: network error.',
      { cause },
    );
    expect(e).toBeInstanceOf(LotseError);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.cause]).toEqual(['NetworkError', 'network_error', cause]);
    expect(new TimeoutError('t').code).toBe('timeout');
    expect(new HttpError('h', 503, 'http_503')).toMatchObject({
      name: 'HttpError',
      status: 503,
      code: 'http_503',
    });
    expect(new ValidationError('v', 'invalid_option', 'endpoint')).toMatchObject({
      name: 'ValidationError',
      field: 'endpoint',
    });
  });

  it('recognises errors from another realm by name', () => {
    const foreign = runInNewContext(
      'const e = new Error("x"); e.name = "HttpError"; e.code = "not_found"; e',
    );
    expect(foreign instanceof LotseError).toBe(false);
    expect(isHttpError(foreign)).toBe(true);
    expect(isLotseError(foreign)).toBe(true);
    expect(isNetworkError(foreign)).toBe(false);
  });

  it('does not mistake other errors for ours', () => {
    const dom = Object.assign(new Error('x'), { name: 'TimeoutError' });
    expect(isTimeoutError(dom)).toBe(false);
    expect(isLotseError(new TypeError('x'))).toBe(false);
    expect(isValidationError(null)).toBe(false);
  });
});
