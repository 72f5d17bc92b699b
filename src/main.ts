import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startTollgate } from './tollgate.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`tollgate: ${line}`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger(config.log.level);

// A signal at any moment, even mid-start, closes exactly what is running.
const starting = new AbortController();
const started = startTollgate(config, { logger, signal: starting.signal });
let stopping = false;

async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  starting.abort();
  const tollgate = await started.catch(() => undefined);
  await tollgate?.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

try {
  const tollgate = await started;
  const { url, metricsUrl } = await tollgate.listen();
  if (metricsUrl) logger.info({ metricsUrl }, 'serving metrics');
  logger.info({ url, database: tollgate.database.description, env: config.env }, 'listening');
} catch (error) {
  // A shutdown that began during the start ends the process itself.
  if (!stopping) {
    logger.fatal({ err: error }, `tollgate could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}
