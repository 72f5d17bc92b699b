import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AuthEventType } from './generated/prisma/enums.ts';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  /** The database pool's connections, read at each scrape; undefined when it has none to report. */
  poolStats?: (() => PoolStats | undefined) | undefined;
}

/** The labels of one finished GraphQL operation; built once per combination and reused. */
export interface OperationLabels {
  readonly operation: string;
  readonly type: string;
  readonly outcome: string;
}

export interface Metrics {
  /** Every metric of this instance, for `/metrics`. */
  readonly registry: Registry;
  operationFinished(labels: OperationLabels, seconds: number): void;
  authEvent(type: AuthEventType): void;
  /** A message the transport accepted, by kind (password-reset, email-verification, …). */
  mailSent(kind: string): void;
  /** A message given up on after its retries, by kind. */
  mailFailed(kind: string): void;
}

const PREFIX = 'tollgate_';
// A fast API: most operations take a few milliseconds; bcrypt ones take hundreds.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * A registry of its own (not prom-client's global one), so that several
 * instances in one process never clash: GraphQL operations, audit events, the
 * database pool, and the process itself (memory, event-loop lag, GC).
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const labelNames = ['operation', 'type', 'outcome'] as const;
  const operations = new Counter({
    name: `${PREFIX}graphql_operations_total`,
    help: 'GraphQL operations, by operation name, type and outcome (ok or the error code).',
    labelNames,
    registers,
  });
  const durations = new Histogram({
    name: `${PREFIX}graphql_operation_duration_seconds`,
    help: 'Time from receiving a GraphQL request to its result, by operation name, type and outcome.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers,
  });

  const authEvents = new Counter({
    name: `${PREFIX}auth_events_total`,
    help: 'Audit events (sign-ups, logins and failures, refresh-token reuse, rate limits reached, ...), by type.',
    labelNames: ['type'] as const,
    registers,
  });
  // Every type is exported from the start, so a rate over it is defined before the first event.
  for (const type of Object.values(AuthEventType)) authEvents.inc({ type }, 0);

  const mailSent = new Counter({
    name: `${PREFIX}mail_sent_total`,
    help: 'Messages the mail transport accepted, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const mailFailures = new Counter({
    name: `${PREFIX}mail_failures_total`,
    help: 'Messages that could not be sent after every retry (each is logged with the reason), by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  // Exported from the start, so that an alert on failures has a series before the first one.
  mailFailures.inc(0);

  const { poolStats } = options;
  if (poolStats) {
    const poolGauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        registers,
        collect() {
          const stats = poolStats();
          if (stats) this.set(read(stats));
        },
      });
    poolGauge('db_pool_connections', 'Open connections in the database pool.', (s) => s.total);
    poolGauge('db_pool_idle_connections', 'Open connections in the database pool not in use.', (s) => s.idle);
    poolGauge('db_pool_waiting_requests', 'Queries waiting for a connection from the database pool.', (s) => s.waiting);
  }

  return {
    registry,
    operationFinished(labels, seconds) {
      operations.inc(labels);
      durations.observe(labels, seconds);
    },
    authEvent(type) {
      authEvents.inc({ type });
    },
    mailSent(kind) {
      mailSent.inc({ kind });
    },
    mailFailed(kind) {
      mailFailures.inc({ kind });
    },
  };
}
