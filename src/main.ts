import { loadConfig } from './config.ts';
import { loadDevelopmentSecret } from './auth/development-secret.ts';
import { buildKeyRing } from './auth/signing-keys.ts';
import { openDatabase } from './db/database.ts';
import { createLogger } from './logger.ts';
import { createApp } from './server/app.ts';
import { listen, stop } from './server/http-server.ts';
import { startHousekeeping } from './housekeeping.ts';
import { createServices } from './services.ts';

const SHUTDOWN_GRACE_MS = 10_000;

const loaded = loadConfig();
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`tollgate: ${line}`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger(config.log.level);

try {
  const { secrets, privateKeys } = config.tokens;
  const useDevelopmentSecret = !secrets && !privateKeys;
  const keys = buildKeyRing({
    privateKeys,
    secrets: useDevelopmentSecret ? [await loadDevelopmentSecret(config.database.dataDir)] : secrets,
  });
  if (useDevelopmentSecret) logger.warn('JWT_SECRET is unset: signing with the development secret kept in DATA_DIR');

  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: config.database.poolSize,
    logger,
  });
  const services = createServices({ config, prisma: database.prisma, keys, logger });
  const app = createApp({ config, services, logger, isDatabaseReady: () => database.isReady() });
  const { server, port } = await listen(app, config.http.port, config.http.host);
  const stopHousekeeping = startHousekeeping(services);
  logger.info({ url: `http://${config.http.host}:${port}/graphql`, database: database.description, env: config.env }, 'listening');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    stopHousekeeping();
    await stop(server, SHUTDOWN_GRACE_MS);
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
} catch (error) {
  logger.fatal({ err: error }, `tollgate could not start: ${(error as Error).message}`);
  process.exit(1);
}
