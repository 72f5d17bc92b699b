import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/fixtures/setup/sequencer.ts';

// The suite always runs on embedded PGlite. With TEST_DATABASE_URL pointing at a
// PostgreSQL server it runs a second time there, each test file in a database of
// its own (a copy of a template migrated once) that is dropped afterwards.
const shared = {
  include: ['test/**/*.test.ts'],
  globalSetup: ['test/fixtures/setup/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // Files in one worker share its modules: the app's are loaded and the schema built once per worker, not per file.
  isolate: false,
  // The schema engine is WebAssembly imported as an ES module.
  execArgv: ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning'],
};

// Files that open no database: the second run would test the same thing again.
const DATABASE_INDEPENDENT = [
  'test/architecture.test.ts',
  'test/suite-report.test.ts',
  'test/config.test.ts',
  'test/auth/password-hasher.test.ts',
  'test/cli/list-users.test.ts',
  'test/db/embedded/**',
  'test/db/migrations.test.ts',
  'test/schema/api-reference.test.ts',
  'test/schema/auth-rules.test.ts',
  'test/schema/generated-files.test.ts',
];

export default defineConfig({
  test: {
    // A file at a time per core (two at least): a file's child processes and
    // browser keep the cores busy while it waits on them. On two cores, a third
    // file at a time made the run no shorter and cost 10 % more CPU.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFilesFirst },
    // The usual summary, then one line on why tests were skipped (what the machine lacks).
    reporters: ['default', './test/fixtures/setup/skip-reasons.ts'],
    projects: [
      { test: { ...shared, name: 'pglite', env: { TEST_DATABASE: 'pglite' } } },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                env: { TEST_DATABASE: 'postgres' },
                exclude: [...configDefaults.exclude, ...DATABASE_INDEPENDENT],
              },
            },
          ]
        : []),
    ],
  },
});
