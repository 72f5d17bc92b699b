import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Which database this test project runs on (set per project in vitest.config.ts). */
export const testDatabaseKind = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';

/**
 * A database of its own on the TEST_DATABASE_URL server, or undefined on the
 * PGlite project (callers then use an in-memory PGlite).
 */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  if (testDatabaseKind !== 'postgres') return undefined;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('the postgres test project needs TEST_DATABASE_URL');
  const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Why a test file that needs the machine's PostgreSQL (and maybe more) cannot run
 * here, or undefined when it can. It runs in the postgres project only, so once.
 */
export function postgresOnlySkipReason(requiredVariables: readonly string[]): string | undefined {
  const missing = requiredVariables.filter((name) => !process.env[name]);
  const needs = missing.length > 0 ? `needs ${missing.join(' and ')}` : undefined;
  if (testDatabaseKind !== 'postgres') return `runs in the postgres project only${needs ? `, and ${needs}` : ''}`;
  return needs;
}
