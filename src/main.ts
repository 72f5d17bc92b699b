import cluster from 'node:cluster';
import v8 from 'node:v8';
import { loadSettings } from './settings.ts';
import { loadEnvFiles } from './config/env-files.ts';
import { createLogger } from './logger.ts';
import { StartFailure } from './start-failure.ts';

// V8 grows the old generation by up to 4× at a time: a burst of requests left
// ~100 MiB of heap behind that nothing used. By 70 % at a time the service keeps
// ~90 MiB less after load; by 50 % saved no more and cost CPU per request
// (BENCHMARKS.md).
v8.setFlagsFromString('--heap-growing-percent=70');
// WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) is compiled by
// V8's baseline compiler only. Its optimizing compiler, tiering up the hottest
// functions, left ~80 MiB behind on the embedded database (RSS after start 269 →
// 191 MiB) and ~17 MiB on PostgreSQL, and bought no measurable speed: CPU per
// request and logins/s stayed within run-to-run noise (BENCHMARKS.md). Set
// before any module is compiled; the database thread inherits it.
v8.setFlagsFromString('--liftoff-only');

const envFiles = loadEnvFiles();
const loaded = loadSettings();
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(`tollgate: ${line}`);
  process.exit(1);
}
const { config } = loaded;
// One readable line an event for a person at a terminal; JSON for everything else.
const format = config.log.format ?? (config.env !== 'production' && process.stdout.isTTY ? 'pretty' : 'json');
// A worker among several says which it is on every line.
const logger = cluster.isWorker
  ? createLogger(config.log.level, undefined, format).child({ worker: cluster.worker?.id })
  : createLogger(config.log.level, undefined, format);

if (envFiles.length > 0 && cluster.isPrimary)
  logger.info({ files: envFiles }, `settings read from ${envFiles.join(' and ')}`);
if (config.workers.requested > config.workers.count) {
  logger.warn(
    { workers: config.workers.requested },
    'WORKERS: the embedded database belongs to one process; running one (set DATABASE_URL for more)',
  );
}
if (config.workers.count > 1 && cluster.isPrimary) {
  // The primary loads none of the service: it starts, watches and stops the workers.
  const { runPrimary } = await import('./workers.ts');
  process.exit(await runPrimary(config, logger));
}
const { startTollgate } = await import('./tollgate.ts');

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
    // One line, as a bad setting gets: what to change. The stack only at LOG_LEVEL=debug.
    const line = error instanceof StartFailure ? error.message : `could not start: ${(error as Error).message}`;
    logger.debug({ err: error }, `could not start: ${line}`);
    console.error(`tollgate: ${line}`);
    process.exit(1);
  }
}
