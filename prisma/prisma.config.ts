import { defineConfig } from 'prisma/config';

// The native schema engine is never needed: `prisma generate` does not run it, and
// migrations go through the WebAssembly engine (scripts/db-*.ts). Naming a path
// stops the CLI from trying to download one.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/dev/null';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  // Only `prisma migrate deploy` (with the native engine) reads it; generating the
  // client needs no database.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
