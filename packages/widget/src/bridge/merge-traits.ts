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
