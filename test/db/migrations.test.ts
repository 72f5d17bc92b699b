import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readMigratedSchema, readMigrations } from '../../src/db/migrations.ts';
import { SCHEMA_PATH } from '../../src/db/paths.ts';

describe('migrations', () => {
  it('cover every change to prisma/schema.prisma (run `npm run db:new -- NAME` after one)', async () => {
    expect(await readMigratedSchema()).toBe(await readFile(SCHEMA_PATH, 'utf8'));
  });

  it('are read in order, each with its SQL', async () => {
    const { migrationDirectories, lockfile } = await readMigrations();
    expect(lockfile.content).toMatch(/provider = "postgresql"/);
    const names = migrationDirectories.map((d) => d.path);
    expect(names).toEqual([...names].sort());
    for (const directory of migrationDirectories) expect(directory.migrationFile.content.tag).toBe('ok');
  });
});
