import type { Redis } from 'ioredis';
import type { DataEncryption } from './crypto/data-encryption.ts';
import { createAudit } from './auth/audit/audit.ts';
import type { PasswordHasher } from './auth/accounts/password-hasher.ts';
import { createRateLimits, NO_RATE_LIMITS } from './auth/limits/rate-limits.ts';
import type { SigningKey } from './crypto/signing-keys.ts';
import { createAccessTokens } from './auth/tokens/access-tokens.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import type { Sql } from './db/sql.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Logger } from './logger.ts';
import { Mailer } from './mail/mailer.ts';
import { databaseOutbox } from './mail/outbox.ts';
import type { KeptMessage, MailTransport } from './mail/transports.ts';
import { createMetrics, type PoolStats } from './metrics.ts';
import { BackgroundTasks } from './background.ts';
import { PublicUrl } from './public-url.ts';
import type { Services } from './services.ts';
import { METHODS } from './methods.ts';

export function createServices(options: {
  config: Config;
  prisma: PrismaClient;
  sql: Sql;
  /** The key ring (from JWT_PRIVATE_KEY and JWT_SECRET, or the development secret). */
  keys: readonly SigningKey[];
  logger: Logger;
  clock: Clock;
  hasher: PasswordHasher;
  mailTransport: MailTransport & { kept?: () => KeptMessage[] };
  /** Seals secrets at rest; undefined when there is no DATA_ENCRYPTION_KEY (production only). */
  encryption: DataEncryption | undefined;
  /** Delays between attempts to send a message (default: the mailer's). */
  mailRetryDelaysMs?: readonly number[] | undefined;
  /** Shared store for rate-limit counters when several instances run. */
  redis?: Redis | undefined;
  /** The database pool's use, for the metrics. */
  poolStats?: (() => PoolStats | undefined) | undefined;
}): Services {
  const { config, prisma, sql, keys, logger, redis, clock, hasher } = options;
  const metrics = config.metrics.enabled ? createMetrics({ poolStats: options.poolStats }) : undefined;
  const audit = createAudit(prisma, clock, logger, metrics && ((type) => metrics.authEvent(type)));
  const { mailTransport } = options;
  const mailer = new Mailer({
    transport: mailTransport,
    logger,
    outbox: options.encryption && databaseOutbox(prisma, options.encryption),
    now: () => clock.now(),
    ...(options.mailRetryDelaysMs ? { retryDelaysMs: options.mailRetryDelaysMs } : {}),
    onSent: (kind) => metrics?.mailSent(kind),
    onFailed: (kind) => metrics?.mailFailed(kind),
  });
  const background = new BackgroundTasks(logger);
  const publicUrl = new PublicUrl(config.http.publicUrl, config.http.host, config.http.port);
  return {
    mailer,
    encryption: options.encryption,
    methods: METHODS,
    config,
    secondFactors: {
      stepUpMaxAgeSeconds: config.secondFactors.stepUpMaxAgeSeconds,
      requireForAdmins: config.secondFactors.requireForAdmins,
    },
    background,
    publicUrl,
    mail: {
      appName: config.mail.appName,
      links: config.mail.links,
      publicUrl: () => publicUrl.get(),
      passwordResetTtlSeconds: config.mail.passwordResetTtlSeconds,
      emailVerificationTtlSeconds: config.mail.emailVerificationTtlSeconds,
      requireEmailVerification: config.mail.requireEmailVerification,
      newSignInNotice: config.mail.newSignInNotice,
    },
    keptMail: mailTransport.kept,
    prisma,
    sql,
    logger,
    clock,
    metrics,
    audit,
    rateLimits: config.rateLimit.enabled
      ? createRateLimits(
          config.rateLimit,
          redis,
          // Written after the answer, and waited for at shutdown.
          (limit, ip) =>
            background.run('rate-limit-audit', () => audit.record({ type: 'RATE_LIMITED', detail: { limit } }, { ip })),
        )
      : NO_RATE_LIMITS,
    hasher,
    tokens: createAccessTokens({
      keys,
      issuer: config.tokens.issuer,
      audience: config.tokens.audience,
      ttlSeconds: config.tokens.accessTokenTtlSeconds,
      clock,
    }),
    limits: {
      refreshTokenTtlSeconds: config.tokens.refreshTokenTtlSeconds,
      sessionMaxAgeSeconds: config.tokens.sessionMaxAgeSeconds,
      refreshReuseGraceSeconds: config.tokens.refreshReuseGraceSeconds,
    },
  };
}
