import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildKeyRing } from '../../src/auth/tokens/signing-keys.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis } from '../../src/redis.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createScratchPostgres } from './database.ts';
import { queryText } from './documents.ts';

export const TEST_SECRET = randomBytes(32).toString('base64url');

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/**
 * The arguments after a typed document: its variables, which may be left out
 * only when the operation requires none, then the optional `Rest`.
 */
export type TypedArgs<TVariables, Rest extends unknown[]> = {} extends TVariables
  ? [variables?: NoInfer<TVariables>, ...rest: Partial<Rest>]
  : [variables: NoInfer<TVariables>, ...rest: Partial<Rest>];

export interface TestApp {
  app: App;
  config: Config;
  services: Services;
  database: Database;
  /** Every SQL statement Prisma sent, in order; empty it to count from a point. */
  queries: string[];
  /** Every log line written, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log output, for checks that nothing secret was written. */
  logText(): string;
  /** Sends a typed document: the result and the variables are the operation's. */
  graphql<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...args: TypedArgs<TVariables, [options: RequestOptions]>
  ): Promise<GraphQLResponse<TData>>;
  /** Sends a document as text, for the requests a typed document cannot make. */
  graphql<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

/**
 * A ready app on a fresh database (in-memory PGlite, or a database of its own on
 * TEST_DATABASE_URL), with bcrypt at its lowest cost and a fixed secret.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const loaded = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    // Off unless a test turns them on: each test file signs up more than 20 users from one address.
    RATE_LIMIT: 'off',
    // One plain hashing thread per app: tests check behaviour, not scheduling (the
    // process tests and `npm run bench` run the default pool), and many apps share
    // the test runner's two cores.
    HASH_THREADS: '1',
    HASH_THREAD_NICE: '0',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { config } = loaded;

  const logChunks: string[] = [];
  const logger = createLogger(
    config.log.level,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logChunks.push(chunk.toString());
        done();
      },
    }),
  );

  const scratch = await createScratchPostgres();
  const queries: string[] = [];
  const database = await openDatabase({
    url: scratch?.url,
    poolSize: config.database.poolSize,
    logger,
    onQuery: (sql) => queries.push(sql),
  });
  const keys = buildKeyRing({ privateKeys: config.tokens.privateKeys, secrets: config.tokens.secrets });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const services = createServices({ config, prisma: database.prisma, sql: database.sql, keys, logger, redis });
  const app = createApp({ config, services, logger, isDatabaseReady: () => database.isReady() });

  return {
    app,
    config,
    services,
    database,
    queries,
    get logs() {
      return logChunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => logChunks.join(''),
    async graphql(document: TypedDocumentNode | string, variables?: unknown, options: RequestOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await app.fetch('http://tollgate.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: queryText(document), variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    async close() {
      await services.hasher.close();
      await redis?.quit();
      await database.close();
      await scratch?.drop();
    },
  };
}

let emailCounter = 0;
/** A fresh address for each account a test makes. */
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}-${++emailCounter}-${randomBytes(3).toString('hex')}@example.com`;

export const STRONG_PASSWORD = 'violet-harbour-lantern-42';
