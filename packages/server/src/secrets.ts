import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The server secret: `LOTSE_SECRET`, or a random one created once in `<dataDir>/secret.key` (mode
 * 0600). It never goes into the database, so a database dump alone does not reveal any token.
 */
export function loadSecret(dataDir: string, configured: string | undefined): Buffer {
  if (configured !== undefined) {
    if (configured.length < 32)
      throw new Error('[lotse] LOTSE_SECRET must be at least 32 characters');
    return Buffer.from(configured, 'utf8');
  }
  const file = path.join(dataDir, 'secret.key');
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  } catch {
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
      chmodSync(file, 0o600);
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  }
}

/** A random nonce from which one conversation token is derived. */
export function createTokenNonce(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The conversation token for a nonce: 32 bytes (HMAC-SHA256 with the server secret), base64url. The
 * same handoff id therefore always gets the same token back, while only its hash is stored.
 */
export function deriveConversationToken(secret: Buffer, nonce: string): string {
  return createHmac('sha256', secret).update(`conversation-token:${nonce}`).digest('base64url');
}

/** SHA-256 of a token, base64url: what the store keeps and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether a string can be a conversation token at all (43 base64url characters). */
export function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** SHA-256 of a text, base64url. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

const ticketAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ticket id people can read out on the phone: `T-` and 10 Crockford base-32 characters (50 bits). */
export function createTicketId(): string {
  const bytes = randomBytes(10);
  let id = 'T-';
  for (const b of bytes) id += ticketAlphabet[b & 31];
  return id;
}
