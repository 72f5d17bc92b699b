import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { settingsSlice } from '../slice.ts';
import { integer, optional } from '../env-values.ts';

export interface WorkerSettings {
  readonly count: number;
  readonly requested: number;
}

export interface MetricsSettings {
  /** Prometheus metrics at `/metrics`. */
  readonly enabled: boolean;
  /** Serves them on this port (bound to `http.host`) only, not on the public one. Unset: on the public port. */
  readonly port: number | undefined;
}

/** What the processes share, from the concerns read before: the port, the database, the rate-limit store. */
interface ProcessContext {
  production: boolean;
  errors: string[];
  port: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  rateLimited: boolean;
}

/**
 * WORKERS and the metrics. `auto` is one worker per core. Several share the
 * port through Node's cluster, so they need what processes share: a PostgreSQL
 * server (the embedded database is one process: it runs one, and the start says
 * so), Redis for the rate limits, and the metrics on METRICS_PORT, where the
 * primary serves them summed over the workers.
 */
export const processSettings = settingsSlice(
  {
    WORKERS: optional(z.union([z.literal('auto'), integer(1, 64)])),
    METRICS: optional(z.enum(['on', 'off'])),
    METRICS_PORT: optional(integer(0, 65535)),
  },
  (e, { production, errors, port, databaseUrl, redisUrl, rateLimited }: ProcessContext) => {
    const metricsEnabled = e.METRICS === undefined ? !production : e.METRICS === 'on';
    if (e.METRICS_PORT !== undefined && !metricsEnabled) {
      errors.push(
        `METRICS_PORT: metrics are off (METRICS=${e.METRICS ?? 'off, the production default'}); set METRICS=on to serve them`,
      );
    }
    if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === port) {
      errors.push(`METRICS_PORT: must differ from PORT (both are ${port})`);
    }
    const requested = e.WORKERS === 'auto' ? availableParallelism() : (e.WORKERS ?? 1);
    // Processes serving the port: one, or several sharing it. On the embedded database, one whatever was asked.
    const workers: WorkerSettings = { count: requested === 1 || !databaseUrl ? 1 : requested, requested };
    if (workers.count > 1 && rateLimited && !redisUrl) {
      errors.push('WORKERS: several workers need REDIS_URL, so that they count the rate limits together');
    }
    if (workers.count > 1 && metricsEnabled && e.METRICS_PORT === undefined) {
      errors.push('WORKERS: several workers need METRICS_PORT, where the primary serves their metrics together');
    }
    const metrics: MetricsSettings = { enabled: metricsEnabled, port: e.METRICS_PORT };
    return { workers, metrics };
  },
);
