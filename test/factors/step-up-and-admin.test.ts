import { describe, expect } from 'vitest';
import {
  type Account,
  type Authenticator,
  accountOf,
  CHANGE_PASSWORD,
  createTestApp,
  DELETE_ME,
  DISABLE_TOTP,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME_SECOND_FACTOR,
  PRODUCTION,
  REQUEST_EMAIL_CHANGE,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  RESET_SECOND_FACTOR,
  SET_UP_TOTP,
  signUp,
  signUpAdmin,
  STRONG_PASSWORD,
  type TestApp,
  uniqueEmail,
  USERS_WITH_DISABLED,
  VERIFY_SECOND_FACTOR,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// What a second factor guards beyond login: changes to how one signs in need
// a recent second factor or a fresh code; a password reset needs a code too;
// admins may be required to have one; support can remove one.

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

/** An account with an app, signed in through the challenge (its second factor is fresh). */
async function signedInWithApp(): Promise<{ account: Account; app: Authenticator }> {
  const account = await signUp(t);
  const app = await enableTotp(t, account);
  const login = await t.graphql(LOGIN, { email: account.email, password: account.password });
  const challenge = String(login.body.errors?.[0]?.extensions?.challenge);
  const { verifySecondFactor } = expectNoErrors(await t.graphql(VERIFY_SECOND_FACTOR, { challenge, code: app.code() }));
  t.clock.advance(30);
  return { account: accountOf(verifySecondFactor, account.password), app };
}

const NEW_PASSWORD = 'quiet-meadow-compass-97';

describe('step-up', () => {
  it('lets a session whose second factor is recent change the password', async () => {
    const { account } = await signedInWithApp();
    const response = await t.graphql(
      CHANGE_PASSWORD,
      { currentPassword: account.password, newPassword: NEW_PASSWORD },
      { token: account.accessToken },
    );
    expectNoErrors(response);
  });

  it('refuses it past STEP_UP_MAX_AGE (15 minutes) with STEP_UP_REQUIRED, and takes a fresh code', async () => {
    const { account, app } = await signedInWithApp();
    t.clock.advance(15 * 60 + 1);
    // The access token would have expired: a refresh keeps the session, not its second factor's age.
    const refreshed = expectNoErrors(
      await t.graphql('mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }', {
        r: account.refreshToken,
      }),
    ) as { refresh: { accessToken: string } };
    const token = refreshed.refresh.accessToken;
    const variables = { currentPassword: account.password, newPassword: NEW_PASSWORD };
    expectError(await t.graphql(CHANGE_PASSWORD, variables, { token }), 'FORBIDDEN', 'STEP_UP_REQUIRED');
    expectError(await t.graphql(CHANGE_PASSWORD, { ...variables, code: '000000' }, { token }), 'BAD_USER_INPUT', {
      field: 'code',
    });
    expectNoErrors(await t.graphql(CHANGE_PASSWORD, { ...variables, code: app.code() }, { token }));
  });

  it('guards requestEmailChange and deleteMe the same way, for a session that never proved the second factor', async () => {
    // Signed in before the app was set up: this session has no second factor to be recent.
    const account = await signUp(t);
    const older = expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password })).login;
    const app = await enableTotp(t, account);
    const token = older.accessToken;
    expectError(
      await t.graphql(REQUEST_EMAIL_CHANGE, { newEmail: uniqueEmail('new'), password: account.password }, { token }),
      'FORBIDDEN',
      'STEP_UP_REQUIRED',
    );
    expectError(await t.graphql(DELETE_ME, { password: account.password }, { token }), 'FORBIDDEN', 'STEP_UP_REQUIRED');
    expectNoErrors(
      await t.graphql(
        REQUEST_EMAIL_CHANGE,
        { newEmail: uniqueEmail('new'), password: account.password, code: app.code() },
        { token },
      ),
    );
    // That code made the session's second factor recent: the next change needs none.
    expectNoErrors(await t.graphql(DELETE_ME, { password: account.password }, { token }));
  });

  it('asks nothing more of an account without a second factor', async () => {
    const account = await signUp(t);
    t.clock.advance(3600);
    const fresh = expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password })).login;
    expectNoErrors(
      await t.graphql(
        CHANGE_PASSWORD,
        { currentPassword: account.password, newPassword: NEW_PASSWORD },
        { token: fresh.accessToken },
      ),
    );
  });
});

describe('resetPassword of an account with a second factor', () => {
  it('needs a code too: without one SECOND_FACTOR_REQUIRED and the token kept, a wrong one refused', async () => {
    const { account, app } = await signedInWithApp();
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const mail = t.mail.filter((entry) => entry.to === account.email && entry.kind === 'password-reset').at(-1);
    const token = new URL(mail?.link ?? '').searchParams.get('token') ?? '';

    const missing = await t.graphql(RESET_PASSWORD, { token, newPassword: NEW_PASSWORD });
    const error = expectError(missing, 'SECOND_FACTOR_REQUIRED', { methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(error.extensions?.challenge).toBeUndefined();
    expectError(
      await t.graphql(RESET_PASSWORD, { token, newPassword: NEW_PASSWORD, code: '000000' }),
      'BAD_USER_INPUT',
      {
        field: 'code',
      },
    );
    expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword: NEW_PASSWORD, code: app.code() }));
    expectError(await t.graphql(LOGIN, { email: account.email, password: NEW_PASSWORD }), 'SECOND_FACTOR_REQUIRED');
  });
});

describe('REQUIRE_ADMIN_SECOND_FACTOR=on', () => {
  it('refuses admin fields to a session that proved no second factor, and serves one that signed in with it', async () => {
    const strict = await createTestApp({ REQUIRE_ADMIN_SECOND_FACTOR: 'on' }, { sharing: t, clock: t.clock });
    try {
      const admin = await signUpAdmin(strict);
      const listing = (token: string) => strict.graphql(USERS_WITH_DISABLED, { first: 1 }, { token });
      expectError(await listing(admin.accessToken), 'FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
      // An admin can still set one up; setting it up proves nothing of the password's session.
      const app = await enableTotp(strict, admin);
      expectError(await listing(admin.accessToken), 'FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
      // A session that signed in with the code is an admin's.
      const login = await strict.graphql(LOGIN, { email: admin.email, password: admin.password });
      const challenge = String(expectError(login, 'SECOND_FACTOR_REQUIRED').extensions?.challenge);
      const { verifySecondFactor } = expectNoErrors(
        await strict.graphql(VERIFY_SECOND_FACTOR, { challenge, code: app.code() }),
      );
      expectNoErrors(await listing(verifySecondFactor.accessToken));
    } finally {
      await strict.close();
    }
  });
});

describe('resetSecondFactor', () => {
  it('lets an admin remove a user’s second factor: audited with the admin, the owner told, the password alone signs in', async () => {
    const admin = await signUpAdmin(t);
    const { account } = await signedInWithApp();
    const { resetSecondFactor } = expectNoErrors(
      await t.graphql(RESET_SECOND_FACTOR, { userId: account.userId }, { token: admin.accessToken }),
    );
    expect(resetSecondFactor).toEqual({ id: account.userId, secondFactor: false });
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password }));
    const event = await t.services.prisma.authEvent.findFirst({
      where: { userId: account.userId, type: 'SECOND_FACTOR_RESET' },
    });
    expect(event).toMatchObject({ actorId: admin.userId, detail: { removed: true } });
    await t.settle();
    expect(t.mail.some((mail) => mail.to === account.email && mail.text.includes('An administrator removed'))).toBe(
      true,
    );
  });

  it('is for admins only', async () => {
    const { account } = await signedInWithApp();
    expectError(
      await t.graphql(RESET_SECOND_FACTOR, { userId: account.userId }, { token: account.accessToken }),
      'FORBIDDEN',
    );
    expect(expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token: account.accessToken })).me?.secondFactor).toBe(
      true,
    );
  });
});

describe('DATA_ENCRYPTION_KEY in production', () => {
  const productionWithoutKey = { ...PRODUCTION, DATA_ENCRYPTION_KEY: '' };

  it('may be absent while no secret is stored: second factors are then unavailable', async () => {
    const empty = await createTestApp(productionWithoutKey);
    try {
      const account = await signUp(empty, { password: STRONG_PASSWORD });
      const response = await empty.graphql(SET_UP_TOTP, { password: account.password }, { token: account.accessToken });
      expectError(response, 'FORBIDDEN', 'SECOND_FACTOR_UNAVAILABLE');
      expect(empty.logs.some((line) => String(line.msg).startsWith('DATA_ENCRYPTION_KEY is unset'))).toBe(true);
    } finally {
      await empty.close();
    }
  });

  it('is required once a secret is stored: the start stops with one line naming it', async () => {
    await signedInWithApp();
    await expect(createTestApp(productionWithoutKey, { sharing: t })).rejects.toThrow(
      /^DATA_ENCRYPTION_KEY: required: \d+ second factors? (is|are) stored encrypted with it$/,
    );
  });

  it('turns with a new key first: secrets sealed with the old one still open', async () => {
    const { account, app } = await signedInWithApp();
    const rotated = await createTestApp(
      {
        DATA_ENCRYPTION_KEY: `${Buffer.alloc(32, 9).toString('base64')},${t.config.secondFactors.encryptionKeys?.[0]?.toString('base64')}`,
      },
      { sharing: t, clock: t.clock },
    );
    try {
      t.clock.advance(30);
      expectNoErrors(
        await rotated.graphql(
          DISABLE_TOTP,
          { password: account.password, code: app.code() },
          { token: account.accessToken },
        ),
      );
    } finally {
      await rotated.close();
    }
  });
});
