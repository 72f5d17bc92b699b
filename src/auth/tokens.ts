import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { TokenRefusal } from '../errors.ts';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenRefusal };

export interface AccessTokens {
  issue(subject: { userId: string; sessionId: string }): { accessToken: string; expiresIn: number };
  verify(token: string): TokenCheck;
}

export interface AccessTokenOptions {
  /** The first signs; every one verifies, so a secret can rotate without signing anyone out. */
  secrets: readonly string[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** A key id that names a secret without revealing anything about it. */
export const keyIdOf = (secret: string) =>
  createHash('sha256').update('tollgate:kid:').update(secret).digest('base64url').slice(0, 16);

export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  const [signingSecret] = options.secrets;
  if (!signingSecret) throw new Error('createAccessTokens needs at least one secret');
  const signingKid = keyIdOf(signingSecret);
  const verifyingSecrets = new Map(options.secrets.map((secret) => [keyIdOf(secret), secret]));

  return {
    issue({ userId, sessionId }) {
      const accessToken = jwt.sign({ sid: sessionId }, signingSecret, {
        algorithm: ALGORITHM,
        expiresIn: options.ttlSeconds,
        issuer: options.issuer,
        audience: options.audience,
        subject: userId,
        jwtid: randomUUID(),
        header: { alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: signingKid },
      });
      return { accessToken, expiresIn: options.ttlSeconds };
    },

    verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') return invalid;
      const { header } = decoded;
      // The algorithm is pinned: `none`, RS256 with the secret as a "public key" and
      // every other substitution end here, before any signature is checked.
      if (header.alg !== ALGORITHM || header.typ?.toLowerCase() !== ACCESS_TOKEN_TYPE) return invalid;
      const secret = header.kid === undefined ? undefined : verifyingSecrets.get(header.kid);
      if (!secret) return invalid;
      try {
        const payload = jwt.verify(token, secret, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          audience: options.audience,
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
