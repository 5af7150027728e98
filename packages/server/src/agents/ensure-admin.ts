import { randomUUID } from 'node:crypto';
import type { Logger } from '../options.js';
import type { Store } from '../store/store.js';
import { generatePassword, hashPassword } from './password.js';

/**
 * Creates the first admin when there is no agent yet. Without a configured password one is generated
 * and printed once (it is stored only as a scrypt hash). Returns the generated password, if any.
 */
export async function ensureAdmin(
  store: Store,
  admin: { email: string; password: string | undefined },
  logger: Logger,
): Promise<string | undefined> {
  if ((await store.countAgents()) > 0) return undefined;
  const password = admin.password ?? generatePassword();
  const inserted = await store.insertAgent({
    id: randomUUID(),
    email: admin.email,
    passwordHash: await hashPassword(password),
    role: 'admin',
    createdAt: Date.now(),
  });
  if (!inserted) return undefined;
  if (admin.password === undefined) {
    logger.info(
      `created the first admin ${admin.email} with the password ${password} (shown once; change it)`,
    );
    return password;
  }
  logger.info(`created the first admin ${admin.email} (password from LOTSE_ADMIN_PASSWORD)`);
  return undefined;
}
