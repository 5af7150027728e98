/** Stable codes of `ModelError`. */
export type ModelErrorCode = 'model_corrupt' | 'model_version' | 'model_stale' | 'training_data';

/** Thrown when classifier data is invalid or training input is unusable; names what is wrong. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  /** A stable snake_case code. */
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[lotse] ${message}`, options);
    this.code = code;
  }
}

/** Returns whether a value is a `ModelError`, also across realms (checked by name and code). */
export function isModelError(value: unknown): value is ModelError {
  return (
    value instanceof Error &&
    value.name === 'ModelError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
