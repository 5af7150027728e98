import { ID_PATTERN } from '@lotse/sdk/schema';
import type { Traits } from './messages.js';

// Limits of `Lotse('identify', …)`: the panel refuses a message beyond them, so the host drops what
// would break them before it sends anything. A trait is a short label (plan, user id), not content.
/** Most traits one visitor may carry. */
export const MAX_TRAITS = 50;
/** Longest trait name. */
export const MAX_TRAIT_KEY_LENGTH = 64;
/** Longest string trait value. */
export const MAX_TRAIT_VALUE_LENGTH = 500;

/** Whether a value may be a trait's value: a boolean, a finite number or a short string. */
export const isTraitValue = (value: unknown): value is Traits[string] =>
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && value.length <= MAX_TRAIT_VALUE_LENGTH);

/**
 * Adds the valid traits of `next` to `current` (later values win); drops values that are not
 * scalars, oversized names and values, and new names beyond {@link MAX_TRAITS}, so one bad trait
 * never makes the panel refuse the visitor's traits.
 */
export function mergeTraits(current: Traits | undefined, next: object): Traits {
  const merged = new Map(Object.entries(current ?? {}));
  for (const [key, value] of Object.entries(next)) {
    if (key.length > MAX_TRAIT_KEY_LENGTH || !isTraitValue(value)) continue;
    if (merged.has(key) || merged.size < MAX_TRAITS) merged.set(key, value);
  }
  // fromEntries defines own properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(merged);
}

/**
 * The traits after `Lotse('identify', next)`: another `userId` starts afresh (nothing of the user
 * before, such as a signature, carries over); a `userId` the SDK would refuse (not an opaque id, e.g.
 * an e-mail address) is named through `warn` and gives `undefined`, which signs the visitor out.
 *
 * @example
 * identifyTraits({ userId: 'u-1', signature: 's' }, { userId: 'u-2' }, console.warn); // { userId: 'u-2' }
 */
export function identifyTraits(
  current: Traits | undefined,
  next: object,
  warn: (message: string) => void,
): Traits | undefined {
  const { userId } = next as Record<string, unknown>;
  if (userId === undefined) return mergeTraits(current, next);
  if (typeof userId !== 'string' || !ID_PATTERN.test(userId)) {
    // Only the type is named: the value may be an e-mail address, and consoles get logged.
    warn(
      `[lotse] identify: userId (a ${typeof userId}) is not valid: use an opaque id (letters, digits and . _ : -, at most 128), never an e-mail address or a name; the visitor is signed out.`,
    );
    return undefined;
  }
  return mergeTraits(userId === current?.userId ? current : undefined, next);
}
