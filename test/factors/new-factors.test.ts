import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  addPasskey,
  createTestApp,
  DISABLE_TOTP,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  logInWithPasskey,
  ME_SECOND_FACTOR,
  newAuthenticator,
  passkeyRegistrationOptions,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  SET_UP_TOTP,
  SIGN_UP,
  STRONG_PASSWORD,
  signUp,
  signUpAdmin,
  stepUpWithPasskey,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Who may add a second factor, and what adding one proves: a new way in is an
// attacker's first wish, so it takes more than what a thief is likely to hold.

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

const passkeysOf = (userId: string) => t.services.prisma.passkey.count({ where: { userId } });

describe('a passkey, to someone holding a stolen access token alone', () => {
  it('is refused without the password, and with a wrong one: nothing is stored', async () => {
    const owner = await signUp(t, { verified: true });
    const thief = { accessToken: owner.accessToken };
    const without = await t.graphql('mutation { passkeyRegistrationOptions }', {}, { token: thief.accessToken });
    expect(without.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectError(await passkeyRegistrationOptions(t, { ...thief, password: 'a guess at it, 1' }), 'BAD_USER_INPUT', {
      field: 'password',
    });
    expect(await passkeysOf(owner.userId)).toBe(0);
    // So the owner's reset link needs no second factor, and the password login stays a password login.
    expectNoErrors(await t.graphql(LOGIN, { email: owner.email, password: owner.password }));
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: owner.email }));
    await t.settle();
    const link = t.mail.findLast((mail) => mail.to === owner.email && mail.kind === 'password-reset')?.link ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword: 'a new passphrase of mine' }));
  });

  it('is added by the owner, who gives the password', async () => {
    const owner = await signUp(t, { verified: true });
    await addPasskey(t, owner, newAuthenticator());
    expect(await passkeysOf(owner.userId)).toBe(1);
  });
});

describe('a second factor on an address nobody verified', () => {
  it('is refused, so that whoever signs up with another person’s address cannot lock its owner out', async () => {
    // Someone signs up with the owner's address (verification is off by default) and tries to add factors.
    const email = uniqueEmail('squatted');
    const squatter = await signUp(t, { email });
    expectError(
      await t.graphql(SET_UP_TOTP, { password: squatter.password }, { token: squatter.accessToken }),
      'FORBIDDEN',
      'EMAIL_NOT_VERIFIED',
    );
    expectError(await passkeyRegistrationOptions(t, squatter), 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    // The owner finds the address taken, and takes the account with a reset by mail: no second factor asked.
    expectError(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }), 'EMAIL_TAKEN');
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email }));
    await t.settle();
    const link = t.mail.findLast((mail) => mail.to === email && mail.kind === 'password-reset')?.link ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword: 'the owner’s own passphrase' }));
    expectError(await t.graphql(LOGIN, { email, password: squatter.password }), 'UNAUTHENTICATED');
    expectNoErrors(await t.graphql(LOGIN, { email, password: 'the owner’s own passphrase' }));
  });
});

describe('with REQUIRE_ADMIN_SECOND_FACTOR=on', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ REQUIRE_ADMIN_SECOND_FACTOR: 'on' }, { sharing: t, clock: t.clock });
  });
  afterAll(() => strict?.close());

  const users = (token: string) => strict.graphql('{ users(first: 1) { totalCount } }', {}, { token });

  it('a session that signed in with the password alone is no admin’s, even after adding a passkey', async () => {
    const admin = await signUpAdmin(strict, { verified: true });
    const key = newAuthenticator();
    await addPasskey(strict, admin, key);
    expectError(await users(admin.accessToken), 'FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
    // Proving the passkey in this session (a step-up), or signing in with it, makes an admin's session.
    expectNoErrors(await stepUpWithPasskey(strict, admin.accessToken, key));
    expectNoErrors(await users(admin.accessToken));
    const { loginWithPasskey } = expectNoErrors(await logInWithPasskey(strict, key));
    expectNoErrors(await users(loginWithPasskey.accessToken));
  });

  it('an admin cannot turn off the authenticator app that is their only second factor', async () => {
    const admin = await signUpAdmin(strict);
    const app = await enableTotp(strict, admin);
    const disable = () =>
      strict.graphql(DISABLE_TOTP, { password: admin.password, code: app.code() }, { token: admin.accessToken });
    expectError(await disable(), 'FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
    expect(await strict.services.prisma.totpFactor.count({ where: { userId: admin.userId } })).toBe(1);
    // With a passkey beside it, the app can go.
    await addPasskey(strict, admin, newAuthenticator(), { code: app.code() });
    strict.clock.advance(30);
    expectNoErrors(await disable());
  });
});

describe('secondFactor', () => {
  it('says the same to the admin listing users as to the account itself when its only factor is a passkey', async () => {
    const admin = await signUpAdmin(t);
    const account = await signUp(t, { verified: true });
    await addPasskey(t, account, newAuthenticator());
    expect(expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token: account.accessToken })).me?.secondFactor).toBe(
      true,
    );
    // The newest users are on the last page: ids are in sign-up order.
    const listed = await t.graphql<{ users: { edges: Array<{ node: { id: string; secondFactor: boolean } }> } }>(
      '{ users(last: 5) { edges { node { id secondFactor } } } }',
      {},
      { token: admin.accessToken },
    );
    const row = expectNoErrors(listed).users.edges.find(({ node }) => node.id === account.userId)?.node;
    expect(row?.secondFactor).toBe(true);
  });
});
