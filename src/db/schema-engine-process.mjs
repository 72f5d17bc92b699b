// Prisma's schema engine (WebAssembly) in a process of its own, for the
// migrations pending at start: what it compiles and allocates (a few hundred
// megabytes, which the allocator would otherwise keep) leaves with the process.
// Takes its task as the first IPC message and answers with one.
// Plain JavaScript so that any runtime (tsx, a test runner) can start it as it is.
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** @param {{ url: string, datamodel: string, migrationsList: import('@prisma/schema-engine-wasm').MigrationList }} task */
async function apply({ url, datamodel, migrationsList }) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
    const log = (line) => process.send?.({ type: 'log', line });
    const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, log, adapter);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      return appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

process.once('message', (task) => {
  apply(task).then(
    (applied) => process.send?.({ type: 'done', applied }, () => process.exit(0)),
    (error) =>
      process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () =>
        process.exit(1),
      ),
  );
});
