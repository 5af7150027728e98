import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUserId, verifyIdentity } from './identity.js';

const secret = 'a-site-secret-of-at-least-32-characters';

describe('signUserId', () => {
  it('is hex(HMAC-SHA256(secret, userId)), as a site server computes it', () => {
    const expected = createHmac('sha256', secret).update('u-1001').digest('hex');
    expect(signUserId(secret, 'u-1001')).toBe(expected);
    expect(signUserId(secret, 'u-1001')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyIdentity', () => {
  const good = signUserId(secret, 'u-1001');

  it('verifies a matching signature, in either hex case', () => {
    expect(verifyIdentity('u-1001', good, secret)).toEqual({ kind: 'verified', userId: 'u-1001' });
    expect(verifyIdentity('u-1001', good.toUpperCase(), secret)).toEqual({
      kind: 'verified',
      userId: 'u-1001',
    });
  });

  it('treats a request without a user as anonymous', () => {
    expect(verifyIdentity(undefined, undefined, secret)).toEqual({ kind: 'anonymous' });
    expect(verifyIdentity(undefined, undefined, undefined)).toEqual({ kind: 'anonymous' });
  });

  it.each([
    ['another user’s signature', 'u-1002', good, secret, 'x-lotse-signature'],
    [
      'a signature under another secret',
      'u-1001',
      signUserId(`${secret}!`, 'u-1001'),
      secret,
      'x-lotse-signature',
    ],
    [
      'one changed digit',
      'u-1001',
      `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`,
      secret,
      'x-lotse-signature',
    ],
    ['no signature', 'u-1001', undefined, secret, 'x-lotse-signature'],
    ['a short signature', 'u-1001', good.slice(0, 63), secret, 'x-lotse-signature'],
    ['a signature that is not hex', 'u-1001', 'z'.repeat(64), secret, 'x-lotse-signature'],
    ['a signature without a user', undefined, good, secret, 'x-lotse-user'],
    [
      'a user id with spaces',
      'Eva Muster',
      signUserId(secret, 'Eva Muster'),
      secret,
      'x-lotse-user',
    ],
    ['a site without a secret', 'u-1001', good, undefined, 'identitySecret'],
  ])('rejects %s, naming the field', (_name, user, signature, key, field) => {
    const identity = verifyIdentity(user, signature, key);
    expect(identity).toMatchObject({ kind: 'rejected', field });
  });
});
