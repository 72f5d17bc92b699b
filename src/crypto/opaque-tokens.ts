import { createHash, randomBytes } from 'node:crypto';

/**
 * A token that means nothing but itself (refresh tokens, tokens sent by mail):
 * 256 random bits. Only its SHA-256 hash is stored: the token is too random to
 * be found from the hash, so no salt or slow hash is needed.
 */
export function newOpaqueToken(): { token: string; hash: Uint8Array<ArrayBuffer> } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
}
