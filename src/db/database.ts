import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { embeddedDatabaseDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres.ts';
import { applyMigrations } from './migrations.ts';
import { pipelinedSql, poolSql, type Sql } from './sql.ts';

export interface Database {
  readonly prisma: PrismaClient;
  /** Plain SQL on the same pool, for the hottest query. */
  readonly sql: Sql;
  /** Connections of the pool: open, idle, and requests waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number };
  /** True when no other process can use this database: the embedded one in DATA_DIR, which it locks. */
  readonly exclusive: boolean;
  /** Which database this is, for the start-up log line: never the URL, which may hold a password. */
  readonly description: string;
  /** True while the database answers a trivial query within `timeoutMs`. */
  isReady(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL server; without it, the embedded PGlite. */
  url?: string | undefined;
  /** Where the embedded database keeps its files (in `pglite/` below it); omitted, it lives in memory. */
  dataDir?: string | undefined;
  /** The embedded database starts as this dump of a data directory (tests: migrated once, cloned per file). */
  embeddedTemplate?: string | undefined;
  /**
   * An embedded database already running, used instead of starting one; it is
   * borrowed: `close` leaves it running (tests hand one from file to file).
   */
  embedded?: EmbeddedPostgres | undefined;
  poolSize: number;
  /** PostgreSQL cancels a statement running longer (a server only); default 10 s. */
  statementTimeoutSeconds?: number | undefined;
  /** How long to wait for a new connection; default 5 s. */
  connectTimeoutSeconds?: number | undefined;
  logger: Logger;
  /** Called for every SQL statement sent, Prisma's and the session lookup's (tests count round trips with it). */
  onQuery?: (sql: string) => void;
  /**
   * Called once, as soon as the database is on its way: the embedded one when
   * its thread begins to boot (about a second in which this thread waits),
   * any other at once. The caller may load what it needs meanwhile.
   */
  whileStarting?: () => void;
}

// PGlite is a single backend: pglite-socket interleaves the protocol messages
// of concurrent connections, so two connections can clobber each other's
// unnamed statement and portal ("portal \"\" does not exist"). One connection
// loses nothing, as PGlite runs one statement at a time anyway.
const EMBEDDED_POOL_SIZE = 1;
// The session lookup's own connection (named statements only), and a few for the
// migrator at start.
const EMBEDDED_SPARE_CONNECTIONS = 5;
/** The connections an embedded database must take for `openDatabase`. */
export const EMBEDDED_MAX_CONNECTIONS = EMBEDDED_POOL_SIZE + EMBEDDED_SPARE_CONNECTIONS;

/** Opens the database, applies pending migrations, and returns a Prisma client on it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  let embedded: EmbeddedPostgres | undefined;
  /** The embedded database started here, which `close` stops. */
  let owned: EmbeddedPostgres | undefined;
  let url = options.url;
  let poolSize = options.poolSize;
  if (!url) {
    poolSize = Math.min(poolSize, EMBEDDED_POOL_SIZE);
    embedded = options.embedded;
    if (!embedded) {
      owned = await startEmbeddedPostgres({
        dataDir: options.dataDir && embeddedDatabaseDir(options.dataDir),
        template: options.embeddedTemplate,
        maxConnections: EMBEDDED_MAX_CONNECTIONS,
        onUnexpectedExit: (reason) => logger.fatal({ reason }, 'the embedded database stopped'),
        whileBooting: options.whileStarting,
        onCreation: (step) =>
          step.phase === 'creating'
            ? logger.info(
                `creating the embedded database in ${shown(options.dataDir)} (a first start only: a few seconds)…`,
              )
            : logger.info(`created the embedded database in ${(step.elapsedMs / 1000).toFixed(1)} s`),
      });
      embedded = owned;
    }
    url = embedded.url;
  }
  if (!owned) options.whileStarting?.();

  try {
    const applied = await applyMigrations(url, (line) => logger.trace({ engine: line }, 'schema engine'));
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');

    const pool = new pg.Pool({ connectionString: url, max: poolSize, ...timeouts(options, embedded !== undefined) });
    const endPool = closingConnections(pool);
    const adapter = new PrismaPg(pool, {
      onPoolError: (error) => logger.warn({ err: error }, 'database connection lost'),
    });
    const prisma = options.onQuery
      ? new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] })
      : new PrismaClient({ adapter });
    if (options.onQuery) {
      const onQuery = options.onQuery;
      (prisma as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query));
    }

    const sql = embedded ? pipelinedSql(url, options.onQuery) : poolSql(pool, options.onQuery);

    // The first model query loads Prisma's query compiler, a second or more: paid
    // here, before listening, rather than by the first request and `/ready`.
    await prisma.user.findFirst({ select: { id: true } });

    return {
      prisma,
      sql,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      exclusive: embedded !== undefined && options.dataDir !== undefined,
      description: embedded ? `embedded PGlite (${options.dataDir ?? 'in memory'})` : 'PostgreSQL',
      isReady: (timeoutMs = 2000) => answersWithin(prisma, timeoutMs),
      async close() {
        await sql.close();
        await prisma.$disconnect();
        await endPool();
        await owned?.close();
      },
    };
  } catch (error) {
    await owned?.close();
    throw error;
  }
}

/**
 * A server cancels a statement at `statement_timeout`; a moment later the client
 * gives up too and drops the connection, so a link that went silent (a cut network)
 * cannot hold a request, or `/ready`, forever. The embedded database runs in this
 * process: nothing to time out there.
 */
function timeouts(options: DatabaseOptions, embedded: boolean): pg.PoolConfig {
  const connectionTimeoutMillis = (options.connectTimeoutSeconds ?? 5) * 1000;
  if (embedded) return { connectionTimeoutMillis };
  const statementMillis = (options.statementTimeoutSeconds ?? 10) * 1000;
  return {
    connectionTimeoutMillis,
    keepAlive: true,
    statement_timeout: statementMillis,
    query_timeout: statementMillis + 1000,
  };
}

async function answersWithin(prisma: PrismaClient, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = prisma.$queryRaw`SELECT 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long closing waits for the server to see each connection go, before giving up on a silent one. */
const CONNECTION_CLOSE_WAIT_MS = 2000;

/**
 * pg's `Pool.end` resolves once it has asked its connections to close, not once
 * they have: the returned function waits until each is gone (or a short while),
 * so that nothing of the pool is still talking to the server after `close`.
 */
function closingConnections(pool: pg.Pool): () => Promise<void> {
  const open = new Set<pg.PoolClient>();
  let allGone: (() => void) | undefined;
  pool.on('connect', (client) => open.add(client));
  pool.on('remove', (client) => {
    open.delete(client);
    if (open.size === 0) allGone?.();
  });
  return async () => {
    const gone = new Promise<void>((resolve) => {
      allGone = resolve;
      setTimeout(resolve, CONNECTION_CLOSE_WAIT_MS).unref();
    });
    await pool.end();
    if (open.size > 0) await gone;
  };
}

/** A directory as a person reads it in a log line: `./data` below the working directory, else as given. */
function shown(dir: string | undefined): string {
  if (!dir) return 'memory';
  const relative = path.relative(process.cwd(), path.resolve(dir));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : dir;
}
