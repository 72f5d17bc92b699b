import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RateLimitSettings } from './limits.ts';
import { type MailLinks, mailLinks } from './mail-links.ts';
import type { SettingsSlice } from './slice.ts';
import {
  optional,
  flag,
  duration,
  seconds,
  integer,
  secretList,
  privateKeyList,
  limit,
  encryptionKeyList,
  onOff,
  httpUrl,
  linkTemplate,
  smtpUrl,
  trustProxy,
  MIN_SECRET_BYTES,
} from './env-values.ts';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  readonly env: NodeEnv;
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly graphiql: boolean;
    readonly introspection: boolean;
    /** `'*'` allows every origin; an empty list allows none. */
    readonly corsOrigins: '*' | readonly string[];
    readonly maxBodyBytes: number;
    /** PUBLIC_URL: where the service is reached; unset, `http://{HOST}:{the port it listens on}`. */
    readonly publicUrl: string | undefined;
    /** ACCOUNT_PAGES: the service serves pages of its own for the links it mails (under /account/). */
    readonly accountPages: boolean;
  };
  readonly database: {
    /** Unset: the embedded PGlite under `dataDir`. */
    readonly url: string | undefined;
    readonly dataDir: string;
    readonly poolSize: number;
    /** PostgreSQL cancels a statement running longer (a server only). */
    readonly statementTimeoutSeconds: number;
    /** How long to wait for a new connection before the request fails. */
    readonly connectTimeoutSeconds: number;
  };
  readonly tokens: {
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
  };
  readonly passwords: {
    readonly cost: number;
    /** bcrypt worker threads (default: one per core). */
    readonly threads: number | undefined;
    /** How much lower the hashing threads' priority is than the event loop's (0 to 19). */
    readonly niceIncrement: number;
  };
  readonly rateLimit: RateLimitSettings & { readonly enabled: boolean };
  readonly secondFactors: {
    /**
     * AES-256 keys for secrets stored at rest (second factors' secrets, the mail
     * outbox): the first encrypts, all decrypt. Unset outside production: a key
     * kept in `database.dataDir`.
     */
    readonly encryptionKeys: readonly Buffer[] | undefined;
    /** How recent a session's second factor must be for a step-up mutation without a fresh code. */
    readonly stepUpMaxAgeSeconds: number;
    /** Admin fields refuse an admin without a second factor. */
    readonly requireForAdmins: boolean;
  };
  /** The settings of each sign-in method, by its id: read by the method itself (its settings slice). */
  readonly methods: Readonly<Record<string, unknown>>;
  readonly mail: {
    /** `log`: each message goes to the log (and the development mail page); `smtp`: sent through `url`. */
    readonly transport: { readonly kind: 'log' } | { readonly kind: 'smtp'; readonly url: string };
    readonly from: string;
    readonly appName: string;
    /** Where mailed links point, `{token}` standing for the token (on the service itself for a path). */
    readonly links: MailLinks;
    readonly passwordResetTtlSeconds: number;
    /** Also the lifetime of an email change's token. */
    readonly emailVerificationTtlSeconds: number;
    /** `login` (and `signUp`) of an account whose address is not verified is FORBIDDEN. */
    readonly requireEmailVerification: boolean;
    /** A sign-in from a browser or program the account has not used mails the account a notice. */
    readonly newSignInNotice: boolean;
  };
  /** How long audit events are kept. */
  readonly auditRetentionSeconds: number;
  /** Shared store for rate-limit counters; unset: each instance counts in memory. */
  readonly redisUrl: string | undefined;
  /**
   * Which proxies' X-Forwarded-For is believed: a hop count, or addresses, CIDRs
   * and the names loopback / linklocal / uniquelocal. Unset: none.
   */
  readonly trustProxy: number | readonly string[] | undefined;
  readonly graphql: {
    readonly maxAliases: number;
    readonly maxDepth: number;
    readonly maxTokens: number;
    readonly maxDirectives: number;
    readonly maxCost: number;
    /** Operations allowed in one batched request; 0 turns batching off. */
    readonly batchLimit: number;
  };
  readonly log: {
    readonly level: string;
    /** LOG_FORMAT; unset: readable lines at a terminal outside production, JSON everywhere else. */
    readonly format: 'json' | 'pretty' | undefined;
  };
  /**
   * Processes serving the port (WORKERS): one, or several sharing it, with a
   * primary that starts and stops them. Several need a PostgreSQL server; on the
   * embedded database `count` is 1 whatever was `requested`.
   */
  readonly workers: { readonly count: number; readonly requested: number };
  readonly metrics: {
    /** Prometheus metrics at `/metrics`. */
    readonly enabled: boolean;
    /** Serves them on this port (bound to `http.host`) only, not on the public one. Unset: on the public port. */
    readonly port: number | undefined;
  };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const MIN_PRODUCTION_BCRYPT_COST = 10;

const envSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])).default('development'),
  PORT: optional(integer(0, 65535)).default(4000),
  HOST: optional(z.string()).default('localhost'),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (leave it unset for the embedded database)'),
  ),
  DATA_DIR: optional(z.string()).default('./data'),
  DATABASE_POOL_SIZE: optional(integer(1, 100)).default(10),
  DATABASE_STATEMENT_TIMEOUT: optional(duration).default(10),
  DATABASE_CONNECT_TIMEOUT: optional(duration).default(5),
  JWT_SECRET: optional(secretList),
  JWT_PRIVATE_KEY: optional(privateKeyList),
  JWT_ISSUER: optional(z.string()).default('tollgate'),
  JWT_AUDIENCE: optional(z.string()).default('tollgate'),
  ACCESS_TOKEN_TTL: optional(duration).default(15 * 60),
  REFRESH_TOKEN_TTL: optional(duration).default(30 * 86400),
  SESSION_MAX_AGE: optional(duration).default(90 * 86400),
  REFRESH_REUSE_GRACE: optional(seconds).default(10),
  BCRYPT_COST: optional(integer(4, 31)).default(12),
  HASH_THREADS: optional(integer(1, 64)),
  WORKERS: optional(z.union([z.literal('auto'), integer(1, 64)])),
  HASH_THREAD_NICE: optional(integer(0, 19)).default(10),
  GRAPHIQL: optional(flag),
  INTROSPECTION: optional(flag),
  CORS_ORIGINS: optional(z.string()),
  MAX_BODY_BYTES: optional(integer(1024, 10 * 1024 * 1024)).default(100 * 1024),
  RATE_LIMIT: optional(z.enum(['on', 'off'])).default('on'),
  RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: optional(limit).default({ points: 10, durationSeconds: 15 * 60 }),
  RATE_LIMIT_LOGIN_FAILURES_EMAIL: optional(limit).default({ points: 50, durationSeconds: 3600 }),
  RATE_LIMIT_LOGIN_IP: optional(limit).default({ points: 100, durationSeconds: 15 * 60 }),
  RATE_LIMIT_LOGIN_FAILURES_IP: optional(limit).default({ points: 30, durationSeconds: 15 * 60 }),
  RATE_LIMIT_SIGNUP_IP: optional(limit).default({ points: 20, durationSeconds: 3600 }),
  RATE_LIMIT_REFRESH_IP: optional(limit).default({ points: 300, durationSeconds: 15 * 60 }),
  RATE_LIMIT_MAIL_IP: optional(limit).default({ points: 20, durationSeconds: 3600 }),
  RATE_LIMIT_MAIL_ADDRESS: optional(limit).default({ points: 3, durationSeconds: 3600 }),
  RATE_LIMIT_SECOND_FACTOR_FAILURES: optional(limit).default({ points: 10, durationSeconds: 3600 }),
  RATE_LIMIT_NEW_SIGN_IN_NOTICES: optional(limit).default({ points: 5, durationSeconds: 86400 }),
  EMAIL_TRANSPORT: optional(z.enum(['log', 'smtp'])),
  SMTP_URL: optional(smtpUrl),
  EMAIL_FROM: optional(z.string()).default('Tollgate <no-reply@localhost>'),
  APP_NAME: optional(z.string()).default('Tollgate'),
  APP_URL: optional(httpUrl),
  PUBLIC_URL: optional(httpUrl),
  ACCOUNT_PAGES: optional(onOff),
  PASSWORD_RESET_URL: optional(linkTemplate),
  EMAIL_VERIFICATION_URL: optional(linkTemplate),
  EMAIL_CHANGE_URL: optional(linkTemplate),
  SECURE_ACCOUNT_URL: optional(linkTemplate),
  PASSWORD_RESET_TTL: optional(duration).default(30 * 60),
  EMAIL_VERIFICATION_TTL: optional(duration).default(24 * 3600),
  REQUIRE_EMAIL_VERIFICATION: optional(onOff).default(false),
  NEW_SIGN_IN_MAIL: optional(onOff).default(true),
  DATA_ENCRYPTION_KEY: optional(encryptionKeyList),
  STEP_UP_MAX_AGE: optional(duration).default(15 * 60),
  REQUIRE_ADMIN_SECOND_FACTOR: optional(onOff).default(false),
  AUDIT_RETENTION: optional(duration).default(90 * 86400),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
  TRUST_PROXY: optional(trustProxy),
  GRAPHQL_MAX_ALIASES: optional(integer(1, 1000)).default(15),
  GRAPHQL_MAX_DEPTH: optional(integer(1, 100)).default(10),
  GRAPHQL_MAX_TOKENS: optional(integer(10, 100_000)).default(2000),
  GRAPHQL_MAX_DIRECTIVES: optional(integer(1, 1000)).default(50),
  GRAPHQL_MAX_COST: optional(integer(1, 1_000_000)).default(5000),
  GRAPHQL_BATCH_LIMIT: optional(integer(0, 100)).default(0),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  LOG_FORMAT: optional(z.enum(['json', 'pretty'])),
  METRICS: optional(z.enum(['on', 'off'])),
  METRICS_PORT: optional(integer(0, 65535)),
});

type Env = Record<string, string | undefined>;

/**
 * Reads the environment into a frozen Config, or one line per problem, each
 * naming its variable. `methods`: the settings slices of the sign-in methods in
 * force, by id, read with the rest (src/settings.ts passes those of the list).
 */
export function loadConfig(
  env: Env = process.env,
  methods: Readonly<Record<string, SettingsSlice<unknown>>> = {},
): ConfigResult {
  const variables = Object.values(methods).reduce<z.ZodRawShape>(
    (shape, slice) => ({ ...shape, ...slice.variables }),
    {},
  );
  const parsed = envSchema.safeParse(env);
  const methodsParsed = z.object(variables).safeParse(env);
  if (!parsed.success || !methodsParsed.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(methodsParsed.error?.issues ?? [])];
    return { ok: false, errors: issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const errors: string[] = [];
  if (production && !e.JWT_SECRET && !e.JWT_PRIVATE_KEY) {
    errors.push(
      `JWT_SECRET: required in production (at least ${MIN_SECRET_BYTES} bytes; several may be given, comma-separated), unless JWT_PRIVATE_KEY is set`,
    );
  }
  if (production && e.BCRYPT_COST < MIN_PRODUCTION_BCRYPT_COST) {
    errors.push(`BCRYPT_COST: must be at least ${MIN_PRODUCTION_BCRYPT_COST} in production (got ${e.BCRYPT_COST})`);
  }
  if (e.REFRESH_TOKEN_TTL > e.SESSION_MAX_AGE) {
    errors.push('REFRESH_TOKEN_TTL: must not be longer than SESSION_MAX_AGE');
  }
  const metricsEnabled = e.METRICS === undefined ? !production : e.METRICS === 'on';
  if (e.METRICS_PORT !== undefined && !metricsEnabled) {
    errors.push(
      `METRICS_PORT: metrics are off (METRICS=${e.METRICS ?? 'off, the production default'}); set METRICS=on to serve them`,
    );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    errors.push(`METRICS_PORT: must differ from PORT (both are ${e.PORT})`);
  }
  const workers = workerCount(e, metricsEnabled, errors);
  const transport = e.EMAIL_TRANSPORT ?? (production ? undefined : 'log');
  if (!transport) {
    errors.push(
      'EMAIL_TRANSPORT: required in production: smtp, with SMTP_URL (password resets and verification need mail)',
    );
  } else if (transport === 'log' && production) {
    errors.push('EMAIL_TRANSPORT: log writes reset and verification links to the log; use smtp in production');
  } else if (transport === 'smtp' && !e.SMTP_URL) {
    errors.push('SMTP_URL: required with EMAIL_TRANSPORT=smtp (smtp://user:password@host:587 or smtps://…)');
  }
  const methodSettings = Object.fromEntries(
    Object.entries(methods).map(([id, slice]) => [
      id,
      slice.read({ ...e, ...methodsParsed.data }, { production, errors }),
    ]),
  );
  const accountPages = e.ACCOUNT_PAGES ?? !production;
  if (production && accountPages && !e.APP_URL && !e.PUBLIC_URL) {
    errors.push(
      'PUBLIC_URL: required in production with ACCOUNT_PAGES=on and no APP_URL: the links in mail open the pages of the service, at its public address',
    );
  }
  if (errors.length > 0) return { ok: false, errors };

  const corsOrigins = e.CORS_ORIGINS
    ? e.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    : production
      ? []
      : ('*' as const);

  const config: Config = {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      graphiql: e.GRAPHIQL ?? !production,
      introspection: e.INTROSPECTION ?? !production,
      corsOrigins,
      maxBodyBytes: e.MAX_BODY_BYTES,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      accountPages,
    },
    database: {
      url: e.DATABASE_URL,
      dataDir: e.DATA_DIR,
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutSeconds: e.DATABASE_STATEMENT_TIMEOUT,
      connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT,
    },
    tokens: {
      secrets: e.JWT_SECRET,
      privateKeys: e.JWT_PRIVATE_KEY,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE,
      refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE,
    },
    passwords: {
      cost: e.BCRYPT_COST,
      // Several workers share the cores: each hashes on its share of them.
      threads:
        e.HASH_THREADS ??
        (workers.count > 1 ? Math.max(1, Math.ceil(availableParallelism() / workers.count)) : undefined),
      niceIncrement: e.HASH_THREAD_NICE,
    },
    rateLimit: {
      enabled: e.RATE_LIMIT === 'on',
      loginFailuresPerEmailAndIp: e.RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP,
      loginFailuresPerEmail: e.RATE_LIMIT_LOGIN_FAILURES_EMAIL,
      loginAttemptsPerIp: e.RATE_LIMIT_LOGIN_IP,
      loginFailuresPerIp: e.RATE_LIMIT_LOGIN_FAILURES_IP,
      signUpsPerIp: e.RATE_LIMIT_SIGNUP_IP,
      refreshesPerIp: e.RATE_LIMIT_REFRESH_IP,
      mailsPerIp: e.RATE_LIMIT_MAIL_IP,
      mailsPerAddress: e.RATE_LIMIT_MAIL_ADDRESS,
      secondFactorFailuresPerAccount: e.RATE_LIMIT_SECOND_FACTOR_FAILURES,
      newSignInNoticesPerAccount: e.RATE_LIMIT_NEW_SIGN_IN_NOTICES,
    },
    secondFactors: {
      encryptionKeys: e.DATA_ENCRYPTION_KEY,
      stepUpMaxAgeSeconds: e.STEP_UP_MAX_AGE,
      requireForAdmins: e.REQUIRE_ADMIN_SECOND_FACTOR,
    },
    mail: {
      transport: transport === 'smtp' && e.SMTP_URL ? { kind: 'smtp', url: e.SMTP_URL } : { kind: 'log' },
      from: e.EMAIL_FROM,
      appName: e.APP_NAME,
      links: mailLinks({
        appUrl: e.APP_URL,
        accountPages,
        templates: {
          passwordReset: e.PASSWORD_RESET_URL,
          emailVerification: e.EMAIL_VERIFICATION_URL,
          emailChange: e.EMAIL_CHANGE_URL,
          secureAccount: e.SECURE_ACCOUNT_URL,
        },
      }),
      passwordResetTtlSeconds: e.PASSWORD_RESET_TTL,
      emailVerificationTtlSeconds: e.EMAIL_VERIFICATION_TTL,
      requireEmailVerification: e.REQUIRE_EMAIL_VERIFICATION,
      newSignInNotice: e.NEW_SIGN_IN_MAIL,
    },
    methods: methodSettings,
    auditRetentionSeconds: e.AUDIT_RETENTION,
    redisUrl: e.REDIS_URL,
    trustProxy: e.TRUST_PROXY,
    graphql: {
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxCost: e.GRAPHQL_MAX_COST,
      batchLimit: e.GRAPHQL_BATCH_LIMIT,
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    workers,
    metrics: { enabled: metricsEnabled, port: e.METRICS_PORT },
  };
  return { ok: true, config: deepFreeze(config) };
}

/**
 * WORKERS: `auto` is one per core. Several share the port through Node's
 * cluster, so they need what processes share: a PostgreSQL server (the embedded
 * database is one process: it runs one, and the start says so), Redis for the
 * rate limits, and the metrics on METRICS_PORT, where the primary serves them
 * summed over the workers.
 */
function workerCount(
  e: {
    WORKERS?: 'auto' | number | undefined;
    DATABASE_URL?: string | undefined;
    REDIS_URL?: string | undefined;
    RATE_LIMIT: 'on' | 'off';
    METRICS_PORT?: number | undefined;
  },
  metricsEnabled: boolean,
  errors: string[],
): Config['workers'] {
  const requested = e.WORKERS === 'auto' ? availableParallelism() : (e.WORKERS ?? 1);
  if (requested === 1 || !e.DATABASE_URL) return { count: 1, requested };
  if (e.RATE_LIMIT === 'on' && !e.REDIS_URL) {
    errors.push('WORKERS: several workers need REDIS_URL, so that they count the rate limits together');
  }
  if (metricsEnabled && e.METRICS_PORT === undefined) {
    errors.push('WORKERS: several workers need METRICS_PORT, where the primary serves their metrics together');
  }
  return { count: requested, requested };
}

function deepFreeze<T>(value: T): T {
  // Key bytes stay as they are: a typed array with elements cannot be frozen.
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
