// npm run db:migrate
// Applies pending migrations to DATABASE_URL, or to the embedded database under
// DATA_DIR when DATABASE_URL is unset (what `npm start` also does on its own).
import { loadSettings } from '../settings.ts';
import { loadEnvFiles } from '../config/env-files.ts';
import { embeddedDatabaseDir, startEmbeddedPostgres } from '../db/embedded/embedded-postgres.ts';
import { applyMigrations } from '../db/migrations.ts';

loadEnvFiles();
const result = loadSettings();
if (!result.ok) {
  for (const line of result.errors) console.error(line);
  process.exit(1);
}
const { database } = result.config;
const embedded = database.url
  ? undefined
  : await startEmbeddedPostgres({ dataDir: embeddedDatabaseDir(database.dataDir), maxConnections: 4 });
try {
  const url = database.url ?? embedded?.url;
  if (!url) throw new Error('no database to migrate');
  const applied = await applyMigrations(url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await embedded?.close();
}
