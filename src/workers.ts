import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Config } from './config/config.ts';
import type { Logger } from './logger.ts';
import { listenMetrics } from './server/metrics/metrics-server.ts';

// WORKERS > 1: a primary process that serves nothing itself but the metrics. It
// starts the workers (each one the whole service, sharing the port through
// Node's cluster), replaces one that dies after it has served, and stops them
// all, in order, on SIGTERM or SIGINT.

/** How long the primary waits for its workers to finish their requests and stop. */
const STOP_TIMEOUT_MS = 30_000;

/** In a worker: answers the primary's requests for this process's metrics. */
export function shareMetricsWithPrimary(registry: Registry): void {
  // Constructing one is what makes a worker answer the primary's requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/** Runs the primary until a signal stops it; resolves with the exit code. */
export async function runPrimary(config: Config, logger: Logger): Promise<number> {
  const serving = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await Promise.all(workers.filter((worker) => !worker.isDead()).map((worker) => once(worker, 'exit')));
    clearTimeout(timer);
  };

  const start = () => {
    const worker = cluster.fork();
    worker.once('listening', () => serving.add(worker));
    worker.once('exit', (code, signal) => {
      const served = serving.delete(worker);
      if (stopping) return;
      if (!served) {
        // It never listened: a bad setting or an unreachable database, which another try would not fix.
        logger.fatal({ pid: worker.process.pid, code, signal }, 'a worker could not start: stopping');
        void stopAll(1);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker stopped: starting another');
      start();
    });
  };

  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });

  let metrics: Awaited<ReturnType<typeof listenMetrics>> | undefined;
  if (config.metrics.enabled && config.metrics.port !== undefined) {
    const registry = new AggregatorRegistry();
    metrics = await listenMetrics(
      { contentType: registry.contentType, metrics: () => registry.clusterMetrics() },
      config.metrics.port,
      config.http.host,
    );
    logger.info({ metricsUrl: `http://${config.http.host}:${metrics.port}/metrics` }, 'serving metrics');
  }

  for (let i = 0; i < config.workers.count; i++) start();
  logger.info({ workers: config.workers.count }, 'started workers');

  const stopped = new Promise<void>((resolve) => {
    cluster.on('exit', () => {
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve();
    });
  });
  const signal = await Promise.race([signalled, stopped.then(() => undefined)]);
  if (signal) {
    logger.info({ signal }, 'stopping the workers');
    await stopAll(0);
  }
  await new Promise<void>((resolve) => (metrics ? metrics.server.close(() => resolve()) : resolve()));
  logger.info('stopped');
  return exitCode;
}
