import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createPasswordHasher, type PasswordHasher } from './auth/accounts/password-hasher.ts';
import { loadDevelopmentSecret } from './crypto/development-secrets.ts';
import { createDataEncryption, type DataEncryption } from './crypto/data-encryption.ts';
import { buildKeyRing, type SigningKey } from './crypto/signing-keys.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import { openDatabase, type Database, type DatabaseOptions } from './db/database.ts';
import { startHousekeeping, startMailRecovery } from './housekeeping.ts';
import { createLogger, type Logger } from './logger.ts';
import { logTransport, type MailTransport, smtpTransport } from './mail/transports.ts';
import { connectRedis, settleRedis } from './redis.ts';
import type { App } from './server/app.ts';
import { listen, stop } from './server/http-server.ts';
import { listenMetrics } from './server/metrics/metrics-server.ts';
import { databaseFailure, listenFailure, StartFailure } from './start-failure.ts';
import { shareMetricsWithPrimary } from './workers.ts';
import { createServices } from './build-services.ts';
import type { Services } from './services.ts';
import { METHODS } from './methods.ts';

/** How long requests in flight may take to finish once a shutdown begins. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Parts a caller may supply instead of the ones built from the settings. A
 * supplied part is borrowed: `close()` leaves it open for its owner.
 */
export interface TollgateOverrides {
  /** Default: JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: bcrypt on worker threads, as BCRYPT_COST and HASH_THREADS say. */
  hasher?: PasswordHasher;
  /** An open database. Default: the configured one, opened with migrations applied. */
  database?: Database;
  /** More options for the database opened here (not for a supplied one). */
  databaseOptions?: Pick<DatabaseOptions, 'onQuery' | 'embeddedTemplate'>;
  /** Default: a client of REDIS_URL when it is set. */
  redis?: Redis;
  /** Where mail goes. Default: EMAIL_TRANSPORT's (the log, or SMTP_URL). */
  mailTransport?: MailTransport;
  /** Delays between attempts to send a message (tests shorten them). */
  mailRetryDelaysMs?: readonly number[];
  /** Aborting it stops a start in progress; whatever was opened is closed again. */
  signal?: AbortSignal;
}

export interface Listening {
  url: string;
  port: number;
  /** Where the metrics are served when METRICS_PORT puts them on a port of their own. */
  metricsUrl?: string;
}

/** The service's parts without its HTTP surface, and one ordered shutdown: what the admin command line needs. */
export interface TollgateCore {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly services: Services;
  /**
   * Stops accepting (when serving), lets requests in flight finish (up to
   * `graceMs`), then closes housekeeping, the hashing threads, Redis and the
   * database, in that order. Safe to call more than once.
   */
  close(graceMs?: number): Promise<void>;
}

/** The service, built: every part, the HTTP app, and one ordered shutdown. */
export interface Tollgate extends TollgateCore {
  /** The whole HTTP surface; `listen()` serves it, tests may call `app.fetch`. */
  readonly app: App;
  /** Serves the app on the configured host and port (and the metrics port), and starts housekeeping. */
  listen(): Promise<Listening>;
}

/**
 * The one place that builds the service from its settings: `npm start`, the
 * admin command line and the tests all come through here. `openTollgate`
 * builds every part but the HTTP surface, which it never loads.
 */
export function openTollgate(config: Config, overrides: TollgateOverrides = {}): Promise<TollgateCore> {
  return openCore(config, overrides, new Closers());
}

/** Every part, the HTTP app on them, and a `listen()` that serves it. */
export async function startTollgate(config: Config, overrides: TollgateOverrides = {}): Promise<Tollgate> {
  const closers = new Closers();
  // The HTTP app's code (the schema, Yoga) loads while the embedded database
  // boots on its own thread, rather than after it (about 0.3 s of this thread,
  // by a CPU profile of a start).
  let appModule: Promise<typeof import('./server/app.ts')> | undefined;
  const loadApp = () => {
    if (!appModule) {
      appModule = import('./server/app.ts');
      // Awaited below once the core is open; a failure to load is reported there, not as unhandled.
      appModule.catch(() => {});
    }
    return appModule;
  };
  const core = await openCore(config, overrides, closers, loadApp);
  const { logger, services, database } = core;
  try {
    const { createApp } = await loadApp();
    const app = createApp({ config, services, logger, isDatabaseReady: () => database.isReady() });
    overrides.signal?.throwIfAborted();

    return {
      ...core,
      app,
      async listen() {
        closers.throwIfClosing();
        // Said by a serving instance only: the admin command line issues no tokens.
        if (usesDevelopmentSecret(config)) {
          logger.warn('JWT_SECRET is unset: signing with the development secret kept in DATA_DIR');
        }
        if (config.env === 'production' && config.mail.links.passwordReset.startsWith('http://localhost:3000/')) {
          logger.warn(
            'APP_URL is unset: the links in mail point at http://localhost:3000; set APP_URL to your app, or ACCOUNT_PAGES=on for the pages of the service',
          );
        }
        const { metrics } = services;
        let metricsUrl: string | undefined;
        // A worker among several leaves the metrics port to the primary, which asks it for its metrics.
        if (metrics && cluster.isWorker && config.workers.count > 1) shareMetricsWithPrimary(metrics.registry);
        else if (metrics && config.metrics.port !== undefined) {
          const { host } = config.http;
          const port = config.metrics.port;
          const serving = await listenMetrics(metrics.registry, port, host).catch((error: unknown) => {
            throw listenFailure(error, 'METRICS_PORT', host, port);
          });
          closers.add(() => stop(serving.server, 0));
          metricsUrl = `http://${config.http.host}:${serving.port}/metrics`;
        }
        closers.throwIfClosing();
        const { host, port } = config.http;
        const listening = await listen(app, port, host).catch((error: unknown) => {
          throw listenFailure(error, 'PORT', host, port);
        });
        closers.add((graceMs) => stop(listening.server, graceMs));
        services.publicUrl.listening(listening.port);
        const stopHousekeeping = startHousekeeping(services, config.auditRetentionSeconds);
        closers.add(async () => stopHousekeeping());
        const stopMailRecovery = startMailRecovery(services, database.exclusive);
        closers.add(async () => stopMailRecovery());
        return {
          url: `http://${config.http.host}:${listening.port}/graphql`,
          port: listening.port,
          ...(metricsUrl ? { metricsUrl } : {}),
        };
      },
    };
  } catch (error) {
    await closers.closeAll(0).catch(() => {});
    throw error;
  }
}

/** Opens every part in order, each registered with `closers`; a failure closes what was opened. */
async function openCore(
  config: Config,
  overrides: TollgateOverrides,
  closers: Closers,
  whileDatabaseStarts?: () => void,
): Promise<TollgateCore> {
  const logger = overrides.logger ?? createLogger(config.log.level);
  const clock = overrides.clock ?? systemClock;
  const { signal } = overrides;

  try {
    const keys = await keyRing(config);
    signal?.throwIfAborted();

    let database = overrides.database;
    if (!database) {
      const opened = await openDatabase({
        ...config.database,
        ...overrides.databaseOptions,
        logger,
        whileStarting: whileDatabaseStarts,
      }).catch((error: unknown) => {
        throw databaseFailure(error, config.database.url);
      });
      closers.add(() => opened.close());
      database = opened;
    }
    signal?.throwIfAborted();

    let redis = overrides.redis;
    if (!redis && config.redisUrl) {
      const connected = await connectRedis(config.redisUrl, logger);
      closers.add(() => connected.quit().catch(() => {}));
      redis = connected;
      await settleRedis(connected);
    }

    let hasher = overrides.hasher;
    if (!hasher) {
      const created = createPasswordHasher(config.passwords);
      closers.add(() => created.close());
      hasher = created;
    }

    const mailTransport = overrides.mailTransport ?? configuredMailTransport(config, logger, clock);
    const encryption = await dataEncryption(config, database, logger);

    if (!config.rateLimit.enabled)
      logger.warn('RATE_LIMIT=off: every rate limit is disabled; use this for benchmarks only');
    const openDb = database;
    const services = createServices({
      config,
      prisma: openDb.prisma,
      sql: openDb.sql,
      keys,
      logger,
      clock,
      hasher,
      mailTransport,
      encryption,
      mailRetryDelaysMs: overrides.mailRetryDelaysMs,
      redis,
      poolStats: () => openDb.poolStats(),
    });
    // Closed before the database, in this order: work left for after an answer
    // (it may queue mail), then the mail still being sent.
    closers.add(() => services.mailer.close());
    closers.add(() => services.background.idle());
    signal?.throwIfAborted();
    return {
      config,
      logger,
      database: openDb,
      services,
      close: (graceMs = SHUTDOWN_GRACE_MS) => closers.closeAll(graceMs),
    };
  } catch (error) {
    await closers.closeAll(0).catch(() => {});
    throw error;
  }
}

/** Where mail goes when no transport is supplied: SMTP_URL, or the log. */
function configuredMailTransport(config: Config, logger: Logger, clock: Clock): MailTransport {
  const { transport, from } = config.mail;
  if (transport.kind === 'smtp') return smtpTransport(transport.url, from);
  return logTransport(from, logger.child({ component: 'mail' }), () => clock.now());
}

/**
 * The key ring that seals secrets at rest: DATA_ENCRYPTION_KEY, or outside
 * production a key kept in DATA_DIR. Production without one starts only while
 * no secret is stored (second factors are then unavailable): with one stored,
 * it could not be read.
 */
async function dataEncryption(config: Config, database: Database, logger: Logger): Promise<DataEncryption | undefined> {
  const { encryptionKeys } = config.secondFactors;
  if (encryptionKeys) return createDataEncryption(encryptionKeys);
  if (config.env !== 'production') {
    const secret = await loadDevelopmentSecret(config.database.dataDir, 'data-encryption-key');
    return createDataEncryption([createHash('sha256').update(secret).digest()]);
  }
  let stored = 0;
  for (const method of METHODS) stored += (await method.sealedSecrets?.(database.prisma)) ?? 0;
  if (stored > 0) {
    throw new StartFailure(
      'DATA_ENCRYPTION_KEY',
      `required: ${stored} second factor${stored === 1 ? ' is' : 's are'} stored encrypted with it`,
      undefined,
    );
  }
  logger.warn(
    'DATA_ENCRYPTION_KEY is unset: second factors cannot be set up until it is, and mail not yet sent is kept in memory only',
  );
  return undefined;
}

/** The configured keys, or the development secret kept in DATA_DIR when none is set (never in production). */
async function keyRing(config: Config): Promise<SigningKey[]> {
  const { secrets, privateKeys } = config.tokens;
  if (secrets || privateKeys) return buildKeyRing({ privateKeys, secrets });
  return buildKeyRing({ privateKeys, secrets: [await loadDevelopmentSecret(config.database.dataDir)] });
}

const usesDevelopmentSecret = (config: Config) => !config.tokens.secrets && !config.tokens.privateKeys;

type Closer = (graceMs: number) => Promise<unknown>;

/**
 * What has been opened, closed in the reverse order: the HTTP server before the
 * database its requests use, the database after everything that writes to it.
 */
class Closers {
  readonly #closers: Closer[] = [];
  #closing: Promise<void> | undefined;

  add(closer: Closer): void {
    this.#closers.push(closer);
  }

  throwIfClosing(): void {
    if (this.#closing) throw new Error('tollgate is closing');
  }

  closeAll(graceMs: number): Promise<void> {
    this.#closing ??= (async () => {
      for (const closer of this.#closers.reverse()) await closer(graceMs);
    })();
    return this.#closing;
  }
}
