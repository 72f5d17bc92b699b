import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { runOneOffProcess } from './one-off-process.ts';
import { MIGRATED_SCHEMA_PATH, MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';

// Prisma's own schema engine, compiled to WebAssembly: it keeps the standard
// `prisma/migrations` layout and `_prisma_migrations` table, so `prisma migrate
// deploy` stays valid wherever the native engine is available.

const NO_FILTERS = { externalTables: [], externalEnums: [] };
/** Any fixed number: every instance that migrates takes this advisory lock first. */
const MIGRATION_LOCK_KEY = 7_416_217_303;

export type EngineLog = (line: string) => void;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const lockfile = await readFile(join(dir, 'migration_lock.toml'), 'utf8').catch(() => null);
  const directories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(join(dir, name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

async function loadEngine(datamodel: string, log: EngineLog, pool: pg.Pool): Promise<SchemaEngine> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  return SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, log, adapter);
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`. Instances
 * starting together wait on an advisory lock, so each migration runs once. The
 * engine runs in a process that ends with it (see schema-engine-process.mjs).
 */
export async function applyMigrations(url: string, log: EngineLog = () => {}): Promise<string[]> {
  const migrationsList = await readMigrations();
  if (await allApplied(url, migrationsList)) return [];
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const task = { url, datamodel: await readFile(SCHEMA_PATH, 'utf8'), migrationsList };
    const { applied } = await runOneOffProcess(new URL('./schema-engine-process.mjs', import.meta.url), {
      task,
      onLog: log,
    });
    return applied as string[];
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lock.end();
  }
}

/**
 * True when `_prisma_migrations` records every committed migration as finished
 * and none as failed: the usual start, which then needs no schema engine (it
 * takes a second to load and tens of megabytes to hold). Anything else, the
 * engine settles, as `prisma migrate deploy` would.
 */
async function allApplied(url: string, migrations: MigrationList): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; finished: boolean }>(
      `SELECT migration_name AS name, finished_at IS NOT NULL AS finished
         FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
    );
    if (rows.some((row) => !row.finished)) return false;
    const applied = new Set(rows.map((row) => row.name));
    return migrations.migrationDirectories.every((directory) => applied.has(directory.path));
  } catch (error) {
    // No _prisma_migrations yet: a new database.
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return false;
    throw error;
  } finally {
    await client.end();
  }
}

const UNDEFINED_TABLE = '42P01';

/**
 * The schema the committed migrations produce. `npm run db:new` keeps it beside
 * them: the engine cannot introspect a database through the pg driver adapter,
 * so a new migration is the difference between two datamodels.
 */
export async function readMigratedSchema(): Promise<string | null> {
  return readFile(MIGRATED_SCHEMA_PATH, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

/**
 * The SQL that takes the migrated schema to `schema.prisma`, or null when they
 * agree. The engine compares the two datamodels without reading any table, but
 * it insists on a connection: `url` may be any scratch database.
 */
export async function diffMigratedSchema(url: string, log: EngineLog = () => {}): Promise<string | null> {
  const current = await readFile(SCHEMA_PATH, 'utf8');
  const migrated = await readMigratedSchema();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const engine = await loadEngine(current, log, pool);
  try {
    const { stdout } = await engine.diff({
      from:
        migrated === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: 'migrated.prisma', content: migrated }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const script = stdout?.trim() ?? '';
    return script === '' || /^-- This is an empty migration\.?$/.test(script) ? null : `${script}\n`;
  } finally {
    engine.free();
    await pool.end();
  }
}
