import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProgram, STRONG_PASSWORD, uniqueEmail } from '../fixtures/index.ts';
import { startClientApp, type ClientApp } from './support.ts';

// examples/curl.sh, run with bash against the service listening on a port.

const curlMissing = spawnSync('curl', ['--version']).error !== undefined;
if (curlMissing) console.warn('curl is not installed: skipping the tests of examples/curl.sh');

let service: ClientApp | undefined;
beforeAll(async () => {
  if (!curlMissing) service = await startClientApp();
});
afterAll(() => service?.t.close());

function runScript(env: Record<string, string>) {
  if (!service) throw new Error('the service did not start');
  return runProgram('bash', ['examples/curl.sh'], {
    ...process.env,
    TOLLGATE_URL: service.url,
    TOLLGATE_PASSWORD: STRONG_PASSWORD,
    ...env,
  });
}

describe.skipIf(curlMissing)('examples/curl.sh', () => {
  it('signs up, logs in, reads me, refreshes and logs out', async () => {
    const email = uniqueEmail('curl');
    const run = await runScript({ TOLLGATE_EMAIL: email });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('==> '))).toEqual([
      '==> signUp',
      '==> login',
      '==> me',
      '==> refresh',
      '==> logout',
    ]);
    const answer = (step: string) =>
      JSON.parse(lines[lines.indexOf(`==> ${step}`) + 1] ?? '') as { data: Record<string, unknown> };
    expect(answer('signUp').data).toEqual({ signUp: { user: { id: expect.any(String), email } } });
    expect(answer('me').data).toEqual({ me: expect.objectContaining({ email, role: 'USER' }) });
    const login = answer('login').data.login as { refreshToken: string };
    const refresh = answer('refresh').data.refresh as { refreshToken: string };
    expect(refresh.refreshToken).not.toBe(login.refreshToken);
    expect(answer('logout').data).toEqual({ logout: true });
    expect(lines.at(-1)).toBe('done: signed up, logged in, read me, refreshed and logged out');
  });

  it('is executable, so it runs as ./examples/curl.sh too', async () => {
    const { mode } = await stat(join(ROOT, 'examples/curl.sh'));
    expect(mode & 0o111).not.toBe(0);
  });

  it('stops with a non-zero exit at the first answer with errors', async () => {
    const run = await runScript({ TOLLGATE_EMAIL: uniqueEmail('curl'), TOLLGATE_PASSWORD: 'password' });

    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('"code":"BAD_USER_INPUT","field":"password"');
    expect(run.stdout).not.toContain('==> login');
    expect(run.stderr.trim()).toBe('signUp failed');
  });
});
