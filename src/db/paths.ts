import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding prisma/, found from this module's place upward: it runs
 * from src/db/ in development and bundled into dist/ once built.
 */
function prismaDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'prisma', 'schema.prisma');
    if (existsSync(candidate)) return dirname(candidate);
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no prisma/schema.prisma above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

const PRISMA_DIR = prismaDir();
export const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
/** Written by `npm run db:new`: the schema that the committed migrations produce. */
export const MIGRATED_SCHEMA_PATH = join(MIGRATIONS_DIR, 'migrated-schema.prisma');
