import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { loadConfig } from './config.ts';
import { loadDevelopmentSecret } from './auth/tokens/development-secret.ts';
import { buildKeyRing } from './auth/tokens/signing-keys.ts';
import { openDatabase, type Database } from './db/database.ts';
import { startHousekeeping } from './housekeeping.ts';
import { createLogger } from './logger.ts';
import { connectRedis } from './redis.ts';
import { createApp } from './server/app.ts';
import { listen, stop } from './server/http-server.ts';
import { listenMetrics } from './server/metrics-server.ts';
import { createServices, type Services } from './services.ts';

const SHUTDOWN_GRACE_MS = 10_000;

const loaded = loadConfig();
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`tollgate: ${line}`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger(config.log.level);

// What is running so far; a signal at any moment, even mid-start, closes exactly that.
let database: Database | undefined;
let redis: Redis | undefined;
let services: Services | undefined;
let server: Server | undefined;
let metricsServer: Server | undefined;
let stopHousekeeping: (() => void) | undefined;
let stopping = false;

async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  stopHousekeeping?.();
  if (server) await stop(server, SHUTDOWN_GRACE_MS);
  if (metricsServer) await stop(metricsServer, 0);
  await services?.hasher.close();
  await database?.close();
  await redis?.quit().catch(() => {});
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

try {
  const { secrets, privateKeys } = config.tokens;
  const useDevelopmentSecret = !secrets && !privateKeys;
  const keys = buildKeyRing({
    privateKeys,
    secrets: useDevelopmentSecret ? [await loadDevelopmentSecret(config.database.dataDir)] : secrets,
  });
  if (useDevelopmentSecret) logger.warn('JWT_SECRET is unset: signing with the development secret kept in DATA_DIR');

  const db = await openDatabase({ ...config.database, logger });
  database = db;
  if (config.redisUrl) redis = connectRedis(config.redisUrl, logger);
  if (!config.rateLimit.enabled)
    logger.warn('RATE_LIMIT=off: every rate limit is disabled; use this for benchmarks only');
  const ready = createServices({
    config,
    prisma: db.prisma,
    sql: db.sql,
    keys,
    logger,
    redis,
    poolStats: () => db.poolStats(),
  });
  services = ready;
  const app = createApp({ config, services: ready, logger, isDatabaseReady: () => db.isReady() });
  if (!stopping && ready.metrics && config.metrics.port !== undefined) {
    const serving = await listenMetrics(ready.metrics.registry, config.metrics.port, config.http.host);
    metricsServer = serving.server;
    logger.info({ metricsUrl: `http://${config.http.host}:${serving.port}/metrics` }, 'serving metrics');
  }
  if (!stopping) {
    const listening = await listen(app, config.http.port, config.http.host);
    server = listening.server;
    stopHousekeeping = startHousekeeping(ready, config.auditRetentionSeconds);
    logger.info(
      { url: `http://${config.http.host}:${listening.port}/graphql`, database: db.description, env: config.env },
      'listening',
    );
  }
} catch (error) {
  logger.fatal({ err: error }, `tollgate could not start: ${(error as Error).message}`);
  await database?.close().catch(() => {});
  process.exit(1);
}
