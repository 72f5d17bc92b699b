import { z } from 'zod';
import { settingsSlice } from '../slice.ts';
import { duration, integer, optional } from '../env-values.ts';

export interface GraphQLLimits {
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
  /** Operations allowed in one batched request; 0 turns batching off. */
  readonly batchLimit: number;
}

export interface LogSettings {
  readonly level: string;
  /** LOG_FORMAT; unset: readable lines at a terminal outside production, JSON everywhere else. */
  readonly format: 'json' | 'pretty' | undefined;
}

export type NodeEnv = 'development' | 'production' | 'test';

/** NODE_ENV, read first: what production means is asked of every other concern. */
export const environmentSettings = settingsSlice(
  { NODE_ENV: optional(z.enum(['development', 'production', 'test'])).default('development') },
  (e) => ({ env: e.NODE_ENV as NodeEnv }),
);

/** How far one GraphQL operation may reach. */
export const graphqlSettings = settingsSlice(
  {
    GRAPHQL_MAX_ALIASES: optional(integer(1, 1000)).default(15),
    GRAPHQL_MAX_DEPTH: optional(integer(1, 100)).default(10),
    GRAPHQL_MAX_TOKENS: optional(integer(10, 100_000)).default(2000),
    GRAPHQL_MAX_DIRECTIVES: optional(integer(1, 1000)).default(50),
    GRAPHQL_MAX_COST: optional(integer(1, 1_000_000)).default(5000),
    GRAPHQL_BATCH_LIMIT: optional(integer(0, 100)).default(0),
  },
  (e) => {
    const graphql: GraphQLLimits = {
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxCost: e.GRAPHQL_MAX_COST,
      batchLimit: e.GRAPHQL_BATCH_LIMIT,
    };
    return { graphql };
  },
);

/** What the service writes down: its log, and how long it keeps the audit trail. */
export const recordSettings = settingsSlice(
  {
    LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
    LOG_FORMAT: optional(z.enum(['json', 'pretty'])),
    AUDIT_RETENTION: optional(duration).default(90 * 86400),
  },
  (e) => {
    const log: LogSettings = { level: e.LOG_LEVEL, format: e.LOG_FORMAT };
    /** How long audit events are kept. */
    const auditRetentionSeconds: number = e.AUDIT_RETENTION;
    return { log, auditRetentionSeconds };
  },
);
