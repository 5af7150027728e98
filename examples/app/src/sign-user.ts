import { createHmac } from 'node:crypto';

/**
 * Signs a user id for `Lotse('identify', { userId, signature })`: the hex HMAC-SHA256 of the user id
 * under the site secret. Only the site's server knows the secret, so a visitor cannot claim another id.
 *
 * @example
 * signUserId('demo-app-identity-secret-change-me', 'u-1001');
 */
export function signUserId(siteSecret: string, userId: string): string {
  return createHmac('sha256', siteSecret).update(userId, 'utf8').digest('hex');
}
