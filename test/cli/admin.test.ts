import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_EVENTS,
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  ME_VERIFIED,
  SET_UP_TOTP,
  CONFIRM_TOTP,
  totpCode,
  runAdmin,
  runAdminInTerminal,
  sendGraphQL,
  serviceData,
  STRONG_PASSWORD,
  startService,
  testDatabaseKind,
  uniqueEmail,
  type ProgramRun,
  type RunningService,
  type ServiceData,
} from '../fixtures/index.ts';

// `npm run admin` as an operator runs it: a real process on the service's
// settings, its DATA_DIR holding a migrated database already. Process starts
// cost seconds, so the steps build on each other. The embedded database serves
// one process at a time: there the service runs only between CLI steps; on
// PostgreSQL it keeps running beside them.

const embedded = testDatabaseKind === 'pglite';
const SLOW = 180_000;

let data: ServiceData;
let env: Record<string, string>;
let service: RunningService | undefined;
/** Every run, to check at the end that no password was ever printed. */
const runs: ProgramRun[] = [];

beforeAll(async () => {
  data = await serviceData();
  ({ env } = data);
});
afterAll(async () => {
  await service?.stop();
  await data?.remove();
});

async function admin(args: string[], stdin?: string): Promise<ProgramRun> {
  // The embedded database is the service's while it runs.
  if (embedded) await stopService();
  const run = await runAdmin(args, env, stdin);
  runs.push(run);
  return run;
}

async function serviceUrl(): Promise<string> {
  service ??= await startService(env);
  return service.url;
}

async function stopService() {
  await service?.stop();
  service = undefined;
}

async function login(email: string) {
  return expectNoErrors(await sendGraphQL(await serviceUrl(), LOGIN, { email, password: STRONG_PASSWORD })).login;
}

const adminEmail = uniqueEmail('cli-admin');
const userEmail = uniqueEmail('cli-user');
let userToken: string;
let adminToken: string;

describe(`npm run admin (${testDatabaseKind})`, () => {
  it(
    'prints its commands with --help, and refuses unknown commands and bad arguments with exit code 1',
    async () => {
      // None of these opens the database, so they may run side by side.
      const [help, unknown, missing, wrongOption] = await Promise.all([
        runAdmin(['--help'], env),
        runAdmin(['frobnicate'], env),
        runAdmin(['promote'], env),
        runAdmin(['list', '--admin'], env),
      ]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/create-user --email <email>/);
      expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown command "frobnicate"') });
      expect(unknown.stderr).toContain('--help');
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('promote needs --email') });
      expect(wrongOption).toMatchObject({ code: 1, stderr: expect.stringContaining('list does not take --admin') });
    },
    SLOW,
  );

  it(
    'creates an admin and a user with the password read from stdin, never printing it',
    async () => {
      const created = await admin(
        ['create-user', '--email', adminEmail.toUpperCase(), '--name', 'Ada', '--admin'],
        `${STRONG_PASSWORD}\n`,
      );
      expect(created.stderr).toBe('');
      expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`Created ${adminEmail} (ADMIN)`) });
      const user = await admin(['create-user', '--email', userEmail], `${STRONG_PASSWORD}\r\n`);
      expect(user).toMatchObject({ code: 0, stdout: expect.stringContaining(`Created ${userEmail} (USER)`) });
      for (const run of [created, user]) expect(run.stdout + run.stderr).not.toContain(STRONG_PASSWORD);
    },
    SLOW,
  );

  it(
    "refuses a bad email, a weak password and a taken email with the API's messages and exit code 1",
    async () => {
      // Refused before the database opens, so side by side.
      const [badEmail, weak] = await Promise.all([
        admin(['create-user', '--email', 'not-an-email'], `${STRONG_PASSWORD}\n`),
        admin(['create-user', '--email', uniqueEmail('cli-weak')], 'qwerty123\n'),
      ]);
      expect(badEmail).toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining('Email must look like name@example.com.'),
      });
      expect(weak).toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining('This password is too common; choose another.'),
      });
      expect(weak.stderr).not.toContain('qwerty123');
      const taken = await admin(['create-user', '--email', adminEmail], 'another-good-passphrase-7\n');
      expect(taken).toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining('An account with this email already exists.'),
      });
    },
    SLOW,
  );

  it(
    'makes accounts that sign in through the API, the admin with role ADMIN',
    async () => {
      const signedIn = await login(adminEmail);
      expect(signedIn.user).toMatchObject({ email: adminEmail, name: 'Ada', role: 'ADMIN' });
      adminToken = signedIn.accessToken;
      const user = await login(userEmail);
      expect(user.user.role).toBe('USER');
      userToken = user.accessToken;
    },
    SLOW,
  );

  it.runIf(embedded)(
    'refuses to open the embedded database while the service has it',
    async () => {
      await serviceUrl();
      const run = await runAdmin(['list'], env);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/the embedded database in .* is in use by process \d+; .*: stop the service first\./);
    },
    SLOW,
  );

  it(
    'promotes and demotes, and lists users with their role and live sessions',
    async () => {
      const promoted = await admin(['promote', '--email', userEmail]);
      expect(promoted).toMatchObject({ code: 0, stdout: `${userEmail} is now ADMIN.\n` });
      const demoted = await admin(['demote', '--email', adminEmail]);
      expect(demoted).toMatchObject({ code: 0, stdout: `${adminEmail} is now USER.\n` });
      const unknown = await admin(['promote', '--email', uniqueEmail('nobody')]);
      expect(unknown).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^tollgate admin: No user has the email /),
      });

      const listed = await admin(['list', '--json']);
      expect(listed.code).toBe(0);
      const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
      expect(rows).toEqual([
        {
          id: expect.any(String),
          email: adminEmail,
          name: 'Ada',
          role: 'USER',
          createdAt: expect.any(String),
          liveSessions: 1,
        },
        {
          id: expect.any(String),
          email: userEmail,
          name: null,
          role: 'ADMIN',
          createdAt: expect.any(String),
          liveSessions: 1,
        },
      ]);
    },
    SLOW,
  );

  it(
    "revokes a user's sessions: a token from before is refused",
    async () => {
      const revoked = await admin(['revoke-sessions', '--email', userEmail]);
      expect(revoked).toMatchObject({ code: 0, stdout: `Ended 1 session of ${userEmail}.\n` });

      const url = await serviceUrl();
      expectError(await sendGraphQL(url, ME, {}, { token: userToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
      // The demoted admin's session lives on, with the new role.
      expect(expectNoErrors(await sendGraphQL(url, ME, {}, { token: adminToken })).me?.role).toBe('USER');
    },
    SLOW,
  );

  it(
    'writes audit events as the API does, with no acting user and its own user agent',
    async () => {
      const promoted = await login(userEmail);
      const { authEvents } = expectNoErrors(
        await sendGraphQL(
          await serviceUrl(),
          AUTH_EVENTS,
          { userId: promoted.user.id, first: 10 },
          { token: promoted.accessToken },
        ),
      );
      const events = authEvents.edges.map((edge) => edge.node).reverse();
      const byCli = { actorId: null, ip: null, userAgent: 'tollgate-admin', sessionId: null };
      expect(events.map((event) => event.type)).toEqual([
        'SIGN_UP',
        'LOGIN_SUCCEEDED',
        'ROLE_CHANGED',
        'USER_SESSIONS_REVOKED',
        'LOGIN_SUCCEEDED',
      ]);
      expect(events[0]).toMatchObject({ ...byCli, detail: { role: 'USER' } });
      expect(events[2]).toMatchObject({ ...byCli, detail: { role: 'ADMIN' } });
      expect(events[3]).toMatchObject({ ...byCli, detail: { sessions: 1 } });
    },
    SLOW,
  );

  it(
    'makes verified accounts, and disables and enables one: sessions end, its right password is refused until enabled',
    async () => {
      const signedIn = await login(userEmail);
      const me = expectNoErrors(
        await sendGraphQL(await serviceUrl(), ME_VERIFIED, {}, { token: signedIn.accessToken }),
      );
      expect(me.me?.emailVerified).toBe(true);

      const disabled = await admin(['disable', '--email', userEmail]);
      expect(disabled).toMatchObject({ code: 0, stdout: `${userEmail} is now disabled: every session ended.\n` });
      const url = await serviceUrl();
      expectError(await sendGraphQL(url, ME, {}, { token: signedIn.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
      const refused = await sendGraphQL(url, LOGIN, { email: userEmail, password: STRONG_PASSWORD });
      expectError(refused, 'UNAUTHENTICATED', 'ACCOUNT_DISABLED');

      const enabled = await admin(['enable', '--email', userEmail]);
      expect(enabled).toMatchObject({ code: 0, stdout: `${userEmail} is now enabled.\n` });
      await login(userEmail);
    },
    SLOW,
  );

  it(
    "removes an account's second factor: the password alone signs it in again",
    async () => {
      const url = await serviceUrl();
      const signedIn = await login(userEmail);
      const token = signedIn.accessToken;
      const setUp = expectNoErrors(await sendGraphQL(url, SET_UP_TOTP, { password: STRONG_PASSWORD }, { token }));
      const code = totpCode(setUp.setUpTotp.secret, new Date());
      expectNoErrors(await sendGraphQL(url, CONFIRM_TOTP, { code }, { token }));
      const challenged = await sendGraphQL(url, LOGIN, { email: userEmail, password: STRONG_PASSWORD });
      expectError(challenged, 'SECOND_FACTOR_REQUIRED');

      const reset = await admin(['reset-second-factor', '--email', userEmail]);
      expect(reset).toMatchObject({
        code: 0,
        stdout: `${userEmail} has no second factor now: it signs in with its password alone.\n`,
      });
      await login(userEmail);
    },
    SLOW,
  );

  it.runIf(existsSync('/usr/bin/script'))(
    'asks again in a terminal, in an empty field, after a refused password or a repeat that differs',
    async () => {
      if (embedded) await stopService();
      const email = uniqueEmail('cli-terminal');
      const again = /Try again\.[\s\S]*Password:/;
      const run = await runAdminInTerminal(['create-user', '--email', email], env, [
        { after: /Password:/, type: 'password\r' },
        { after: again, type: `${STRONG_PASSWORD}\r` },
        { after: /Repeat the password:/, type: 'not the same passphrase\r' },
        { after: again, type: `${STRONG_PASSWORD}\r` },
        { after: /Repeat the password:/, type: `${STRONG_PASSWORD}\r` },
      ]);
      expect(run.shown).toContain('This password is too common; choose another. Try again.');
      expect(run.shown).toContain('The two passwords differ. Try again.');
      expect(run.shown).toContain(`Created ${email} (USER)`);
      expect(run.code).toBe(0);
      expect(run.shown).not.toContain(STRONG_PASSWORD);
      // The password set is the one typed last, not a refused one with the next after it.
      expect((await login(email)).user.email).toBe(email);
    },
    SLOW,
  );

  it('never printed a password', () => {
    expect(runs.length).toBeGreaterThan(5);
    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(STRONG_PASSWORD);
  });
});
