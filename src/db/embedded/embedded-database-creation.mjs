// Creates a new embedded database (PostgreSQL's initdb, in PGlite) in a process
// of its own: initdb touches hundreds of megabytes that a running database never
// needs again, and they leave with the process. Answers with one IPC message.
// Plain JavaScript so that any runtime (tsx, a test runner) can start it as it is.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from './embedded-postgres-settings.mjs';

const [dataDir] = process.argv.slice(2);

try {
  await mkdir(dataDir, { recursive: true });
  await (await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS })).close();
  process.send?.({ type: 'done' }, () => process.exit(0));
} catch (error) {
  process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () =>
    process.exit(1),
  );
}
