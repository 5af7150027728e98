import { randomUUID } from 'node:crypto';
import { MIN_PASSWORD_LENGTH } from '../auth/login-routes.js';
import { ConfigError, type Logger } from '../options.js';
import type { Store } from '../store/store.js';
import { generatePassword, hashPassword } from './password.js';

// The HTML rule of `<input type="email">` (WHATWG "valid e-mail address"): the login form's field
// is of that type, so an admin whose address breaks it could never sign in.
const signInAddress =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** One reason no one could use a first admin: the variable, as shown, why, and what to set. */
interface AdminProblem {
  variable: string;
  setting: string;
  why: string;
  fix: string;
}

/** Why no one could use `admin`, each reason naming its variable; empty when it is usable. */
function firstAdminProblems(admin: {
  email: string;
  password: string | undefined;
}): AdminProblem[] {
  const problems: AdminProblem[] = [];
  if (!signInAddress.test(admin.email)) {
    problems.push({
      variable: 'LOTSE_ADMIN_EMAIL',
      setting: `LOTSE_ADMIN_EMAIL=${admin.email}`,
      why: 'the first admin signs in with this address, so it must be an e-mail address such as admin@example.com',
      fix: 'unset it for admin@example.com',
    });
  }
  const length = admin.password === undefined ? undefined : [...admin.password].length;
  if (length !== undefined && length < MIN_PASSWORD_LENGTH) {
    problems.push({
      variable: 'LOTSE_ADMIN_PASSWORD',
      setting: 'LOTSE_ADMIN_PASSWORD',
      why: `must be at least ${MIN_PASSWORD_LENGTH} characters (it has ${length}), as every password set by invitation, reset or the CLI`,
      fix: 'set a longer one, or unset it to have one generated and printed once',
    });
  }
  return problems;
}

/**
 * Refuses a first admin no one could use: an address the login form does not accept, or a password
 * shorter than invitations, resets and the CLI allow. Named by the variables that set them.
 */
export function checkFirstAdmin(admin: { email: string; password: string | undefined }): void {
  const [problem] = firstAdminProblems(admin);
  if (problem !== undefined) {
    throw new ConfigError(`[lotse] ${problem.setting}: ${problem.why}; ${problem.fix}`);
  }
}

/** How an admin changes a password: no page does; the command line does (README "Command line"). */
export function resetPasswordCommand(email: string): string {
  return `node packages/server/dist/cli.js reset-password --email ${email} --password '<new password, ≥ ${MIN_PASSWORD_LENGTH} characters>'`;
}

/**
 * Creates the first admin when there is no agent yet. Without a configured password one is generated
 * and printed once (it is stored only as a scrypt hash). Returns the generated password, if any.
 * Throws a {@link ConfigError} for a first admin no one could use (see {@link checkFirstAdmin}).
 * Once agents exist the settings are not used, so such a value is only warned about: installations
 * that started before the check (with `changeme`, say) keep starting.
 */
export async function ensureAdmin(
  store: Store,
  admin: { email: string; password: string | undefined },
  logger: Logger,
): Promise<string | undefined> {
  if ((await store.countAgents()) > 0) {
    for (const problem of firstAdminProblems(admin)) {
      logger.warn(
        `${problem.setting} is ignored, as agents exist already and it only sets up the first admin; a first start would refuse it: ${problem.why}. Unset ${problem.variable}`,
      );
    }
    return undefined;
  }
  checkFirstAdmin(admin);
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
      `created the first admin ${admin.email} with the password ${password} (shown once). No page changes a password: change it from this directory, with the same DATABASE_URL and LOTSE_DATA_DIR, by ${resetPasswordCommand(admin.email)} (or lotse-server reset-password … where Lotse is installed as a package)`,
    );
    return password;
  }
  logger.info(`created the first admin ${admin.email} (password from LOTSE_ADMIN_PASSWORD)`);
  return undefined;
}
