import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, ME, SIGN_UP, type AuthPayload } from '../helpers/documents.ts';
import { createScratchPostgres, testDatabaseKind } from '../helpers/database.ts';
import { postGraphQL, runUntilExit, startService } from '../helpers/service-process.ts';
import { STRONG_PASSWORD, uniqueEmail } from '../helpers/test-app.ts';

// The service as `npm start` runs it: a real process on a real port.

let dataDir: string;
let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tollgate-process-'));
  scratch = await createScratchPostgres();
  env = { DATA_DIR: dataDir, ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
});
afterAll(async () => {
  await scratch?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`the service process (${testDatabaseKind})`, () => {
  it('keeps accounts and sessions across a restart', async () => {
    const email = uniqueEmail('restart');
    const first = await startService(env);
    let payload: AuthPayload;
    try {
      const signUp = await postGraphQL(first.url, SIGN_UP, { email, password: STRONG_PASSWORD });
      payload = signUp.body.data!.signUp;
      expect(payload.user.email).toBe(email);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startService(env);
    try {
      const login = await postGraphQL(second.url, LOGIN, { email, password: STRONG_PASSWORD });
      expect(login.body.data?.login.user.email).toBe(email);
      // The development secret and the session were kept, so the old token still works.
      const me = await postGraphQL(second.url, ME, {}, payload.accessToken);
      expect(me.body.data?.me?.email).toBe(email);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('keeps the development secret in DATA_DIR readable by its owner only', async () => {
    const service = await startService(env);
    await service.stop();
    const { mode } = await stat(join(dataDir, 'jwt-secret'));
    expect(mode & 0o777).toBe(0o600);
  });

  it('answers /health and /ready once listening', async () => {
    const service = await startService(env);
    try {
      expect((await fetch(new URL('/health', service.url))).status).toBe(200);
      expect((await fetch(new URL('/ready', service.url))).status).toBe(200);
      if (!scratch) {
        // The embedded database serves one process: a second one on its DATA_DIR stops at once.
        const second = await runUntilExit(env);
        expect(second.code).toBe(1);
        expect(second.stdout).toContain(`is in use by process ${service.child.pid}`);
        expect((await fetch(new URL('/ready', service.url))).status).toBe(200);
      }
    } finally {
      await service.stop();
    }
  });

  it('finishes a request in flight on SIGTERM, then refuses new ones and exits 0', async () => {
    // A sign-up at bcrypt cost 13 takes long enough to still be running when the signal lands.
    const service = await startService({ ...env, BCRYPT_COST: '13' });
    const inFlight = postGraphQL(service.url, SIGN_UP, { email: uniqueEmail('inflight'), password: STRONG_PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exit = service.stop('SIGTERM');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.data?.signUp.accessToken).toEqual(expect.any(String));
    expect(await exit).toBe(0);
    await expect(fetch(new URL('/health', service.url))).rejects.toThrow();
    expect(service.output.join('\n')).toMatch(/"msg":"stopped"/);
  });

  it('stops on SIGINT too, with exit code 0', async () => {
    const service = await startService(env);
    expect(await service.stop('SIGINT')).toBe(0);
  });
});

describe('refusing to start', () => {
  it('refuses production without JWT_SECRET, in one line naming it', async () => {
    const { code, stderr } = await runUntilExit({ ...env, NODE_ENV: 'production', BCRYPT_COST: '12' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tollgate: JWT_SECRET: required in production/)]);
  });

  it('refuses a JWT_SECRET shorter than 32 bytes, without printing it', async () => {
    const { code, stderr } = await runUntilExit({
      ...env,
      NODE_ENV: 'production',
      BCRYPT_COST: '12',
      JWT_SECRET: 'too-short-secret',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('tollgate: JWT_SECRET: must be at least 32 bytes (got 16)');
  });

  it('refuses a bcrypt cost below 10 in production', async () => {
    const { code, stderr } = await runUntilExit({
      ...env,
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      BCRYPT_COST: '8',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('tollgate: BCRYPT_COST: must be at least 10 in production (got 8)');
  });

  it('names the variable of any other bad setting', async () => {
    const { code, stderr } = await runUntilExit({ ...env, ACCESS_TOKEN_TTL: 'soon' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tollgate: ACCESS_TOKEN_TTL: /);
  });
});
