import { describe, expect, it } from 'vitest';
import { ROOT, runProgram } from './fixtures/index.ts';

// `npm test` says why tests were skipped, in one line after its summary.

describe('the test run', () => {
  it('says, after the summary, what the machine lacks for the tests it skipped', async () => {
    const { TEST_DATABASE_URL: _url, TEST_REDIS_URL: _redis, ...env } = process.env;
    const run = await runProgram(
      process.execPath,
      [`${ROOT}/node_modules/vitest/vitest.mjs`, 'run', 'test/server/workers.test.ts'],
      { ...env, CI: '' },
    );
    expect(run.code).toBe(0);
    const last = run.stdout.trim().split('\n').at(-1);
    expect(last).toMatch(/^5 tests skipped: this machine has no PostgreSQL \(set TEST_DATABASE_URL=.*\), no Redis/);
  }, 120_000);
});
