// npm run db:new -- NAME
// Writes prisma/migrations/<timestamp>_NAME/migration.sql: the SQL that takes the
// committed migrations to the current prisma/schema.prisma. No server is needed.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded/embedded-postgres.ts';
import { diffMigratedSchema } from '../src/db/migrations.ts';
import { MIGRATED_SCHEMA_PATH, MIGRATIONS_DIR, SCHEMA_PATH } from '../src/db/paths.ts';

const name = process.argv[2]
  ?.trim()
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) {
  console.error('usage: npm run db:new -- NAME   (for example: npm run db:new -- add_user_locale)');
  process.exit(2);
}

const scratch = await startEmbeddedPostgres({ maxConnections: 2 });
const script = await diffMigratedSchema(scratch.url).finally(() => scratch.close());
if (!script) {
  console.log('prisma/schema.prisma matches the migrations: nothing to write.');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const file = join(MIGRATIONS_DIR, `${stamp}_${name}`, 'migration.sql');
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, script);
  await copyFile(SCHEMA_PATH, MIGRATED_SCHEMA_PATH);
  console.log(`wrote ${relative(process.cwd(), file)}; review it, then commit it with the schema.`);
}
