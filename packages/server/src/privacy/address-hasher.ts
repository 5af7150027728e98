import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

const prefix = 'address-salt:';

/** Hashes client addresses with a salt that changes every UTC day and is then deleted. */
export interface AddressHasher {
  hash(address: string, now: number): Promise<string>;
}

/**
 * Creates the hasher. The day's random salt lives in the store (shared by all instances) and the
 * previous days' salts are deleted at rotation, so yesterday's hashes can no longer be linked to an
 * address by anyone — the address itself is never stored.
 */
export function createAddressHasher(store: Store): AddressHasher {
  let current: { day: string; salt: Buffer } | undefined;
  let pending: Promise<{ day: string; salt: Buffer }> | undefined;

  const saltFor = async (day: string) => {
    if (current?.day === day) return current;
    pending ??= (async () => {
      const key = prefix + day;
      const value = await store.getOrSetMeta(key, randomBytes(32).toString('base64url'));
      await store.deleteMetaByPrefix(prefix, key);
      current = { day, salt: Buffer.from(value, 'base64url') };
      return current;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    async hash(address, now) {
      const day = new Date(now).toISOString().slice(0, 10);
      const { salt } = await saltFor(day);
      return createHmac('sha256', salt).update(address).digest('base64url').slice(0, 22);
    },
  };
}
