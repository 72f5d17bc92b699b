import { z } from 'zod';
import { settingsSlice } from '../slice.ts';
import { duration, MIN_SECRET_BYTES, optional, privateKeyList, secretList, seconds } from '../env-values.ts';

export interface TokenSettings {
  /** HS256 secrets. Unset with no private key outside production: a random secret kept in `dataDir`. */
  readonly secrets: readonly string[] | undefined;
  /** ES256/RS256 private keys (PEM). The first key of the ring signs (private keys first); all verify. */
  readonly privateKeys: readonly string[] | undefined;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly sessionMaxAgeSeconds: number;
  readonly refreshReuseGraceSeconds: number;
}

/** How access tokens are signed, and how long tokens and sessions last. */
export const tokenSettings = settingsSlice(
  {
    JWT_SECRET: optional(secretList),
    JWT_PRIVATE_KEY: optional(privateKeyList),
    JWT_ISSUER: optional(z.string()).default('tollgate'),
    JWT_AUDIENCE: optional(z.string()).default('tollgate'),
    ACCESS_TOKEN_TTL: optional(duration).default(15 * 60),
    REFRESH_TOKEN_TTL: optional(duration).default(30 * 86400),
    SESSION_MAX_AGE: optional(duration).default(90 * 86400),
    REFRESH_REUSE_GRACE: optional(seconds).default(10),
  },
  (e, { production, errors }) => {
    if (production && !e.JWT_SECRET && !e.JWT_PRIVATE_KEY) {
      errors.push(
        `JWT_SECRET: required in production (at least ${MIN_SECRET_BYTES} bytes; several may be given, comma-separated), unless JWT_PRIVATE_KEY is set`,
      );
    }
    if (e.REFRESH_TOKEN_TTL > e.SESSION_MAX_AGE) {
      errors.push('REFRESH_TOKEN_TTL: must not be longer than SESSION_MAX_AGE');
    }
    const tokens: TokenSettings = {
      secrets: e.JWT_SECRET,
      privateKeys: e.JWT_PRIVATE_KEY,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE,
      refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE,
    };
    return { tokens };
  },
);
