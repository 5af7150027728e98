// Signed `identify`: a site's own server signs its user id with the site's `identitySecret`, the
// widget or SDK sends both as headers, and Lotse checks the signature before it trusts the id.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the site's user id (`identify({ userId })`). */
export const USER_HEADER = 'x-lotse-user';
/**
 * Header with `hex(HMAC-SHA256(identitySecret, userId))` (`identify({ signature })`), or of
 * `userId + "\n" + email` when the site vouches for the visitor's e-mail address too.
 */
export const SIGNATURE_HEADER = 'x-lotse-signature';
/** Header with the visitor's e-mail address as the site's server signed it (`identify({ email })`). */
export const EMAIL_HEADER = 'x-lotse-email';

// The SDK's opaque-id rule: no spaces, so a user id cannot carry free text.
const userIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const signaturePattern = /^[0-9a-f]{64}$/i;
// An address as a header carries it: printable ASCII, one @, no spaces (RFC 5321's 254 at most).
const emailPattern = /^[!-?A-~]{1,64}@[!-?A-~]{1,189}$/;

/** What a request proves about who the visitor is. */
export type Identity =
  | { kind: 'anonymous' }
  /** `email` only when the signature covers it: the site's server vouches for the address. */
  | { kind: 'verified'; userId: string; email?: string }
  | { kind: 'rejected'; field: string; message: string };

/**
 * The signature a site's server sends with a user id: `hex(HMAC-SHA256(secret, userId))`; with the
 * user's e-mail address, `hex(HMAC-SHA256(secret, userId + "\n" + email))`, so neither a plain user
 * signature nor another user's can vouch for an address.
 *
 * @example
 * signUserId('a-secret-of-at-least-32-characters!', 'u-1001'); // 64 hex digits
 * signUserId('a-secret-of-at-least-32-characters!', 'u-1001', 'eva@example.com');
 */
export function signUserId(secret: string, userId: string, email?: string): string {
  const signed = email === undefined ? userId : `${userId}\n${email}`;
  return createHmac('sha256', secret).update(signed, 'utf8').digest('hex');
}

/**
 * Verifies the user, signature and (optional) e-mail headers against the site's secret (compared
 * in constant time). No user header is an anonymous visitor; anything else that does not verify is
 * rejected, an e-mail header included: an address is trusted only when the signature covers it.
 */
export function verifyIdentity(
  user: string | undefined,
  signature: string | undefined,
  secret: string | undefined,
  email?: string | undefined,
): Identity {
  if (user === undefined) {
    return signature === undefined && email === undefined
      ? { kind: 'anonymous' }
      : {
          kind: 'rejected',
          field: USER_HEADER,
          message: `${signature === undefined ? EMAIL_HEADER : SIGNATURE_HEADER} needs ${USER_HEADER}.`,
        };
  }
  if (email !== undefined && !emailPattern.test(email)) {
    return {
      kind: 'rejected',
      field: EMAIL_HEADER,
      message: `${EMAIL_HEADER} must be one e-mail address (printable ASCII, no spaces; at most 254).`,
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
  const expected = Buffer.from(signUserId(secret, user, email), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (!timingSafeEqual(expected, given)) {
    return {
      kind: 'rejected',
      field: SIGNATURE_HEADER,
      message:
        email === undefined
          ? `${SIGNATURE_HEADER} does not match ${USER_HEADER}.`
          : `${SIGNATURE_HEADER} does not match ${USER_HEADER} and ${EMAIL_HEADER} (sign userId + "\\n" + email).`,
    };
  }
  return email === undefined
    ? { kind: 'verified', userId: user }
    : { kind: 'verified', userId: user, email };
}
