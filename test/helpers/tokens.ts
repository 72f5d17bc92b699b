import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { keyIdOf } from '../../src/auth/tokens/signing-keys.ts';
import { TEST_SECRET } from './test-app.ts';

// Reading and forging access tokens as an attacker, or a clock, would.

/** A decoded JWT part: 0 the header, 1 the payload. */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index];
  if (part === undefined) throw new Error(`not a JWT: ${token}`);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
export const headerOf = (token: string) => jwtPart(token, 0);
export const payloadOf = (token: string) => jwtPart(token, 1);

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims a test app's access token for this user and session carries, valid for 15 minutes from `iat`. */
export function claimsFor(subject: { userId: string; sessionId: string }, iat = nowSeconds()): Record<string, unknown> {
  return {
    sub: subject.userId,
    sid: subject.sessionId,
    jti: randomUUID(),
    iat,
    exp: iat + 900,
    iss: 'tollgate',
    aud: 'tollgate',
  };
}

export interface ForgeOptions {
  key?: jwt.Secret;
  algorithm?: jwt.Algorithm;
  header?: Record<string, unknown>;
}

/** Signs `claims`; by default exactly as the test app does (HS256, TEST_SECRET, typ at+jwt, its kid). */
export function forge(claims: Record<string, unknown>, options: ForgeOptions = {}): string {
  const algorithm = options.algorithm ?? 'HS256';
  const header = { alg: algorithm, typ: 'at+jwt', kid: keyIdOf(TEST_SECRET), ...options.header } as jwt.JwtHeader;
  return jwt.sign(claims, options.key ?? TEST_SECRET, { algorithm, header });
}

/** A correctly signed token for this user and session that expired 45 minutes ago. */
export const expiredTokenFor = (subject: { userId: string; sessionId: string }) =>
  forge(claimsFor(subject, nowSeconds() - 3600));
