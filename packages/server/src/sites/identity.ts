// Signed `identify`: a site's own server signs its user id with the site's `identitySecret`, the
// widget or SDK sends both as headers, and Lotse checks the signature before it trusts the id.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the site's user id (`identify({ userId })`). */
export const USER_HEADER = 'x-lotse-user';
/** Header with `hex(HMAC-SHA256(identitySecret, userId))` (`identify({ signature })`). */
export const SIGNATURE_HEADER = 'x-lotse-signature';

// The SDK's opaque-id rule: no spaces, so a user id cannot carry free text.
const userIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const signaturePattern = /^[0-9a-f]{64}$/i;

/** What a request proves about who the visitor is. */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'verified'; userId: string }
  | { kind: 'rejected'; field: string; message: string };

/**
 * The signature a site's server sends with a user id: `hex(HMAC-SHA256(secret, userId))`.
 *
 * @example
 * signUserId('a-secret-of-at-least-32-characters!', 'u-1001'); // 64 hex digits
 */
export function signUserId(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/**
 * Verifies the user and signature headers against the site's secret (compared in constant time).
 * No user header is an anonymous visitor; anything else that does not verify is rejected.
 */
export function verifyIdentity(
  user: string | undefined,
  signature: string | undefined,
  secret: string | undefined,
): Identity {
  if (user === undefined) {
    return signature === undefined
      ? { kind: 'anonymous' }
      : {
          kind: 'rejected',
          field: USER_HEADER,
          message: `${SIGNATURE_HEADER} needs ${USER_HEADER}.`,
        };
  }
  if (secret === undefined) {
    return {
      kind: 'rejected',
      field: 'identitySecret',
      message: 'This site has no identitySecret, so it cannot verify signed-in visitors.',
    };
  }
  if (!userIdPattern.test(user)) {
    return {
      kind: 'rejected',
      field: USER_HEADER,
      message: `${USER_HEADER} must be an opaque id (letters, digits, . _ : -; at most 128).`,
    };
  }
  if (signature === undefined || !signaturePattern.test(signature)) {
    return {
      kind: 'rejected',
      field: SIGNATURE_HEADER,
      message: `${SIGNATURE_HEADER} must be hex(HMAC-SHA256(identitySecret, userId)): 64 hex digits.`,
    };
  }
  const expected = Buffer.from(signUserId(secret, user), 'hex');
  const given = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, given)
    ? { kind: 'verified', userId: user }
    : {
        kind: 'rejected',
        field: SIGNATURE_HEADER,
        message: `${SIGNATURE_HEADER} does not match ${USER_HEADER}.`,
      };
}
