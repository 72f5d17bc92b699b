import pg from 'pg';

/**
 * Plain SQL for the one query every authenticated request makes: a prepared
 * statement costs a fraction of the CPU time of the same query through Prisma's
 * query compiler and interpreter.
 */
export interface Sql {
  /** A named (prepared once per connection) statement, rows as arrays. */
  rows(statement: { name: string; text: string; values: unknown[] }): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** On a server: the pool Prisma uses. */
export function poolSql(pool: pg.Pool, onQuery?: (sql: string) => void): Sql {
  return {
    async rows(statement) {
      onQuery?.(statement.text);
      const result = await pool.query<unknown[]>({ ...statement, rowMode: 'array' });
      return result.rows;
    },
    close: async () => {},
  };
}

/**
 * On the embedded database: one connection of its own, pipelined, so lookups
 * from requests in flight reach PGlite back to back instead of waiting for each
 * other's round trip. Prisma's single connection stays free for everything else.
 * (Only named statements here: PGlite is one session shared by its connections.)
 * A connection that fails is replaced on the next query; the statements it
 * prepared outlive it in that one session, so each connection names its own.
 */
export function pipelinedSql(connectionString: string, onQuery?: (sql: string) => void): Sql {
  let connected: Promise<pg.Client> | undefined;
  let generation = 0;
  let closed = false;
  const connect = () => {
    generation += 1;
    const client = new pg.Client({ connectionString, pipeline: true });
    const forget = () => {
      if (connected === attempt) connected = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    const attempt: Promise<pg.Client> = client.connect().then(
      () => client,
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    return attempt;
  };
  return {
    async rows(statement) {
      // Closed stays closed: no new connection to a database that is shutting down.
      if (closed) throw new Error('Cannot use the database after it was closed');
      onQuery?.(statement.text);
      connected ??= connect();
      const current = generation;
      const client = await connected;
      const result = await client.query<unknown[]>({
        ...statement,
        name: `${statement.name}_${current}`,
        rowMode: 'array',
      });
      return result.rows;
    },
    async close() {
      closed = true;
      const client = await connected?.catch(() => undefined);
      connected = undefined;
      await client?.end();
    },
  };
}
