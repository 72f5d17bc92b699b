import type { Redis } from 'ioredis';
import type { AccountDeps } from './auth/accounts.ts';
import { createAudit } from './auth/audit.ts';
import type { AuthenticateDeps } from './auth/authenticate.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createRateLimits, NO_RATE_LIMITS } from './auth/rate-limit.ts';
import type { RefreshDeps } from './auth/refresh.ts';
import type { SigningKey } from './auth/signing-keys.ts';
import { createAccessTokens } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Logger } from './logger.ts';

/** Everything a request needs, built once at start. */
export interface Services extends AccountDeps, AuthenticateDeps, RefreshDeps {
  logger: Logger;
}

export function createServices(options: {
  config: Config;
  prisma: PrismaClient;
  /** The key ring (from JWT_PRIVATE_KEY and JWT_SECRET, or the development secret). */
  keys: readonly SigningKey[];
  logger: Logger;
  /** Shared store for rate-limit counters when several instances run. */
  redis?: Redis | undefined;
}): Services {
  const { config, prisma, keys, logger, redis } = options;
  const audit = createAudit(prisma, logger);
  return {
    prisma,
    logger,
    audit,
    rateLimits: config.rateLimit.enabled
      ? createRateLimits(config.rateLimit, redis, (limit, ip) => void audit.record({ type: 'RATE_LIMITED', detail: { limit } }, { ip }))
      : NO_RATE_LIMITS,
    hasher: createPasswordHasher(config.passwords),
    tokens: createAccessTokens({
      keys,
      issuer: config.tokens.issuer,
      audience: config.tokens.audience,
      ttlSeconds: config.tokens.accessTokenTtlSeconds,
    }),
    limits: {
      refreshTokenTtlSeconds: config.tokens.refreshTokenTtlSeconds,
      sessionMaxAgeSeconds: config.tokens.sessionMaxAgeSeconds,
      refreshReuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
    },
  };
}
