/** Names of the SDK's error classes; guards compare these, so errors from other realms are recognised. */
export type LotseErrorName =
  | 'LotseError'
  | 'HttpError'
  | 'NetworkError'
  | 'TimeoutError'
  | 'ValidationError';

/** Options shared by every SDK error. */
export interface LotseErrorOptions {
  /** The original error or response detail. */
  cause?: unknown;
}

/** Base class of every error the SDK throws, rejects with or reports through `on('error')`. */
export class LotseError extends Error {
  override readonly name: LotseErrorName = 'LotseError';
  /** Stable snake_case code, e.g. `network_error`, `invalid_option`, `not_found`. */
  readonly code: string;

  constructor(message: string, code: string, options: LotseErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

/** The server answered with a status the SDK does not treat as success. */
export class HttpError extends LotseError {
  override readonly name = 'HttpError' as const;
  /** HTTP status. */
  readonly status: number;
  /** The field the server named in its error body, when it did. */
  readonly field: string | undefined;

  constructor(
    message: string,
    status: number,
    code: string,
    field?: string,
    options?: LotseErrorOptions,
  ) {
    super(message, code, options);
    this.status = status;
    this.field = field;
  }
}

/** The request never got an answer (offline, DNS, connection reset, CORS). */
export class NetworkError extends LotseError {
  override readonly name = 'NetworkError' as const;
  constructor(message: string, options?: LotseErrorOptions) {
    super(message, 'network_error', options);
  }
}

/** The request got no answer within the client's `timeout`. */
export class TimeoutError extends LotseError {
  override readonly name = 'TimeoutError' as const;
  constructor(message: string, options?: LotseErrorOptions) {
    super(message, 'timeout', options);
  }
}

/** An option, event or input is invalid; `field` names it. */
export class ValidationError extends LotseError {
  override readonly name = 'ValidationError' as const;
  /** Dotted path of the invalid option or field. */
  readonly field: string;
  constructor(message: string, code: string, field: string, options?: LotseErrorOptions) {
    super(message, code, options);
    this.field = field;
  }
}

const NAMES: readonly string[] = [
  'LotseError',
  'HttpError',
  'NetworkError',
  'TimeoutError',
  'ValidationError',
];

const named = (e: unknown, name?: string): boolean =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as { code?: unknown }).code === 'string' &&
  (name ? (e as Error).name === name : NAMES.includes((e as Error).name));

/** True for any SDK error, also one thrown in another realm (iframe, worker). */
export const isLotseError = (e: unknown): e is LotseError => named(e);
/** True for an {@link HttpError}. */
export const isHttpError = (e: unknown): e is HttpError => named(e, 'HttpError');
/** True for a {@link NetworkError}. */
export const isNetworkError = (e: unknown): e is NetworkError => named(e, 'NetworkError');
/** True for a {@link TimeoutError}. */
export const isTimeoutError = (e: unknown): e is TimeoutError => named(e, 'TimeoutError');
/** True for a {@link ValidationError}. */
export const isValidationError = (e: unknown): e is ValidationError => named(e, 'ValidationError');
