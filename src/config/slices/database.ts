import { z } from 'zod';
import { settingsSlice } from '../slice.ts';
import { duration, integer, optional } from '../env-values.ts';

export interface DatabaseSettings {
  /** Unset: the embedded PGlite under `dataDir`. */
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly poolSize: number;
  /** PostgreSQL cancels a statement running longer (a server only). */
  readonly statementTimeoutSeconds: number;
  /** How long to wait for a new connection before the request fails. */
  readonly connectTimeoutSeconds: number;
}

export const databaseSettings = settingsSlice(
  {
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (leave it unset for the embedded database)'),
    ),
    DATA_DIR: optional(z.string()).default('./data'),
    DATABASE_POOL_SIZE: optional(integer(1, 100)).default(10),
    DATABASE_STATEMENT_TIMEOUT: optional(duration).default(10),
    DATABASE_CONNECT_TIMEOUT: optional(duration).default(5),
  },
  (e) => {
    const database: DatabaseSettings = {
      url: e.DATABASE_URL,
      dataDir: e.DATA_DIR,
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutSeconds: e.DATABASE_STATEMENT_TIMEOUT,
      connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT,
    };
    return { database };
  },
);
