import { randomUUID, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { epochSeconds, type Clock } from '../../clock.ts';
import type { TokenRefusal } from '../../errors.ts';
import type { SigningKey } from '../../crypto/signing-keys.ts';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  /** How the session was authenticated (RFC 8176): `pwd`, plus `otp` or `hwk` after a second factor. */
  amr: string[];
  /** When the user authenticated, in seconds since the epoch (OpenID Connect's `auth_time`). */
  auth_time: number;
}

export type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenRefusal };

export interface AccessTokens {
  /** `issuedAt` (default: now) lets a new session's first token say the instant the session says. */
  issue(subject: { userId: string; sessionId: string; amr: readonly string[]; authTime: Date; issuedAt?: Date }): {
    accessToken: string;
    expiresIn: number;
  };
  verify(token: string): TokenCheck;
  /** The public keys that verify tokens, for `/.well-known/jwks.json` (none with secrets alone). */
  readonly publicKeys: readonly JsonWebKey[];
}

export interface AccessTokenOptions {
  /** The first signs; every one verifies, so a key can rotate without signing anyone out. */
  keys: readonly SigningKey[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock: Clock;
}

export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  const [signing] = options.keys;
  if (!signing) throw new Error('createAccessTokens needs at least one key');
  const byKid = new Map(options.keys.map((key) => [key.kid, key]));

  return {
    publicKeys: options.keys.flatMap((key) => (key.publicJwk ? [key.publicJwk] : [])),

    issue({ userId, sessionId, amr, authTime, issuedAt }) {
      // `iat` from the service's clock; jsonwebtoken counts `exp` from it.
      const accessToken = jwt.sign(
        {
          sid: sessionId,
          amr: [...amr],
          auth_time: Math.floor(authTime.getTime() / 1000),
          iat: issuedAt ? Math.floor(issuedAt.getTime() / 1000) : epochSeconds(options.clock),
        },
        signing.signWith,
        {
          algorithm: signing.alg,
          expiresIn: options.ttlSeconds,
          issuer: options.issuer,
          audience: options.audience,
          subject: userId,
          jwtid: randomUUID(),
          header: { alg: signing.alg, typ: ACCESS_TOKEN_TYPE, kid: signing.kid },
        },
      );
      return { accessToken, expiresIn: options.ttlSeconds };
    },

    verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') return invalid;
      const { header } = decoded;
      const key = header.kid === undefined ? undefined : byKid.get(header.kid);
      // Each key verifies with its own algorithm only: `none`, an HMAC made with a
      // public key, and every other substitution end here, before any signature check.
      if (!key || header.alg !== key.alg || header.typ?.toLowerCase() !== ACCESS_TOKEN_TYPE) return invalid;
      try {
        const payload = jwt.verify(token, key.verifyWith, {
          algorithms: [key.alg],
          issuer: options.issuer,
          audience: options.audience,
          clockTimestamp: epochSeconds(options.clock),
        });
        return isClaims(payload) ? { ok: true, claims: payload } : invalid;
      } catch (error) {
        return error instanceof jwt.TokenExpiredError ? { ok: false, reason: 'TOKEN_EXPIRED' } : invalid;
      }
    },
  };
}

const invalid = { ok: false, reason: 'TOKEN_INVALID' } as const;

function isClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as Record<string, unknown>;
  return (
    typeof p.sub === 'string' &&
    typeof p.sid === 'string' &&
    typeof p.jti === 'string' &&
    typeof p.iat === 'number' &&
    typeof p.exp === 'number'
  );
}
